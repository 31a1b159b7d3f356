using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Postern.Setup;

/// <summary>File operations setup needs: read if present, atomic durable write keeping mode and owner, hashes.</summary>
internal static class FileOps
{
    public static byte[]? ReadIfExists(string path) => File.Exists(path) ? File.ReadAllBytes(path) : null;

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The owner as "uid:gid" (numeric), or null when it cannot be read.</summary>
    public static string? Owner(string path)
    {
        try
        {
            var psi = new ProcessStartInfo("stat") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add("%u:%g");
            psi.ArgumentList.Add("--");
            psi.ArgumentList.Add(path);
            using var p = Process.Start(psi)!;
            var text = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 && text.Contains(':', StringComparison.Ordinal) ? text : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> through a temporary file in the same
    /// folder, fsynced, given <paramref name="mode"/> and <paramref name="owner"/>, then renamed over the target and
    /// the folder fsynced: a reader sees the old file or the new one, never half of either.</summary>
    public static void WriteAtomic(string path, byte[] content, UnixFileMode? mode, string? owner)
    {
        var dir = Path.GetDirectoryName(path) ?? "/";
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, "." + Path.GetFileName(path) + ".postern-setup." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        try
        {
            using (var fs = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                fs.Write(content);
                fs.Flush(flushToDisk: true);
            }

            if (mode is { } m)
            {
                File.SetUnixFileMode(temp, m);
            }

            if (owner is not null && Environment.UserName == "root")
            {
                Chown(temp, owner);
            }

            File.Move(temp, path, overwrite: true);
            SyncDirectory(dir);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public static void DeleteDurably(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
            SyncDirectory(Path.GetDirectoryName(path) ?? "/");
        }
    }

    private static void Chown(string path, string owner)
    {
        var psi = new ProcessStartInfo("chown") { RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(owner);
        psi.ArgumentList.Add("--");
        psi.ArgumentList.Add(path);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new IOException($"chown {owner} {path}: {err.Trim()}");
        }
    }

    private static void SyncDirectory(string dir)
    {
        // Opening a directory for reading and flushing it is how .NET reaches fsync(2) on the folder entry.
        try
        {
            using var handle = File.OpenHandle(dir, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            RandomAccess.FlushToDisk(handle);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // Some file systems refuse to open a folder; the rename itself is still atomic.
        }
    }
}
