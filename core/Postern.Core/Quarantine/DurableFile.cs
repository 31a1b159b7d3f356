using System.Runtime.InteropServices;

namespace Postern.Core.Quarantine;

/// <summary>
/// Writes a file so that it is either absent or complete under its final name, even across a crash: the bytes go to
/// a temporary name in the same directory (<see cref="TempPrefix"/>), are fsynced, renamed into place, and the
/// directory is fsynced so the rename itself survives a power loss.
/// </summary>
internal static class DurableFile
{
    public const string TempPrefix = ".tmp-";

    public static void Write(string directory, string name, Action<Stream> write)
    {
        var temp = Path.Combine(directory, TempPrefix + QuarantineId.New());
        var final = Path.Combine(directory, name);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temp, options))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, final, overwrite: false);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        SyncDirectory(directory);
    }

    /// <summary>fsync(2) on the directory; .NET has no API for it. Linux and the BSDs allow open(2) of a directory
    /// read-only for this.</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(directory, 0);
        if (fd < 0)
        {
            throw new IOException($"cannot open {directory} to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of {directory} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // DllImport rather than LibraryImport: the source-generated form needs unsafe code in the whole assembly.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
