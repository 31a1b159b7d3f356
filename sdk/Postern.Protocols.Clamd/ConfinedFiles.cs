using Microsoft.Win32.SafeHandles;

namespace Postern.Protocols.Clamd;

/// <summary>
/// The files a path command may read: a directory walk that never follows symbolic links (clamd's default), and a
/// read that opens by the resolved path and checks again where the descriptor really points, so a link swapped in
/// after the check cannot lead outside the roots.
/// </summary>
internal static class ConfinedFiles
{
    /// <summary>Regular files under a directory, sorted, without following symbolic links (clamd's default).</summary>
    public static IEnumerable<(string Shown, string Real)> Walk(string shown, string real)
    {
        var pending = new Stack<(string, string)>();
        pending.Push((shown.TrimEnd('/'), real));
        while (pending.Count > 0)
        {
            var (s, r) = pending.Pop();
            FileSystemInfo[] entries;
            try
            {
                entries = new DirectoryInfo(r).GetFileSystemInfos();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            var subdirectories = new List<(string, string)>();
            foreach (var entry in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                if (entry.LinkTarget is not null)
                {
                    continue;
                }

                if (entry is DirectoryInfo)
                {
                    subdirectories.Add((s + "/" + entry.Name, entry.FullName));
                }
                else if (entry is FileInfo)
                {
                    yield return (s + "/" + entry.Name, entry.FullName);
                }
            }

            for (var i = subdirectories.Count - 1; i >= 0; i--)
            {
                pending.Push(subdirectories[i]);
            }
        }
    }

    /// <summary>Reads a regular file inside the roots, up to <paramref name="max"/> bytes.</summary>
    /// <returns>The bytes and the path the descriptor points at, or null and the reply's reason.</returns>
    public static async ValueTask<(byte[]? Data, string? Opened, string Error)> ReadAsync(string real, PathGuard guard, long max)
    {
        var fd = UnixInterop.OpenReadOnly(real);
        if (fd < 0)
        {
            return (null, null, "Access denied.");
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (!UnixInterop.IsRegularFile(fd))
        {
            return (null, null, "Not supported file type.");
        }

        var opened = PathGuard.DescriptorPath(handle);
        if (opened is null || !guard.Contains(opened))
        {
            return (null, null, "Access denied.");
        }

        var (data, error) = await ReadAllAsync(handle, max);
        return (data, opened, error);
    }

    /// <summary>Reads what a descriptor holds, up to <paramref name="max"/> bytes (FILDES uses it too).</summary>
    public static async ValueTask<(byte[]? Data, string Error)> ReadAllAsync(SafeFileHandle handle, long max)
    {
        try
        {
            await using var stream = new FileStream(handle, FileAccess.Read, 1);
            var buffer = new GrowableBuffer();
            var chunk = new byte[64 * 1024];
            while (true)
            {
                var n = await stream.ReadAsync(chunk);
                if (n == 0)
                {
                    return (buffer.ToArray(), "");
                }

                if (buffer.Length + n > max)
                {
                    return (null, "Not scanned (size limit)");
                }

                buffer.Append(chunk.AsSpan(0, n));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return (null, "Can't read file.");
        }
    }
}
