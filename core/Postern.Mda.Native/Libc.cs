using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Postern.Mda.Native;

/// <summary>The few Linux calls .NET has no API for: a nameless file, putting a descriptor on fd 0, execv.</summary>
/// <remarks>Errors: the file calls throw <see cref="IOException"/> with the system's text; <see cref="Exec"/> returns
/// the errno when it could not replace the process.</remarks>
internal static unsafe partial class Libc
{
    private const int ORdwr = 0x2;
    private const int OCreat = 0x40;
    private const int OExcl = 0x80;
    private const int OCloexec = 0x80000;
    private const int OTmpfile = 0x410000; // __O_TMPFILE | O_DIRECTORY (x86-64 and arm64 alike)
    private const int Mode0600 = 0x180;
    private const int EIntr = 4;

    /// <summary>An open, read-write file with no name in <paramref name="directory"/>, mode 0600, close-on-exec.</summary>
    public static SafeFileHandle CreateUnnamedFile(string directory)
    {
        var fd = Retry(() => open(directory, OTmpfile | ORdwr | OCloexec, Mode0600));
        if (fd < 0)
        {
            // Not every file system has O_TMPFILE (overlayfs before Linux 6.6, NFS): a fresh name, unlinked at once.
            var path = Path.Combine(directory, $"postern-mda-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
            fd = Retry(() => open(path, OCreat | OExcl | ORdwr | OCloexec, Mode0600));
            if (fd >= 0 && unlink(path) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                _ = close(fd);
                throw new IOException($"cannot unlink the spool file {path}: {Describe(errno)}");
            }
        }

        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true)
            : throw new IOException($"cannot create a spool file in {directory}: {Describe(Marshal.GetLastPInvokeError())}");
    }

    /// <summary>Puts <paramref name="file"/> on descriptor 0 (inherited across exec), at offset 0.</summary>
    public static void ReplaceStandardInput(SafeFileHandle file)
    {
        var fd = (int)file.DangerousGetHandle();
        if (lseek(fd, 0, 0) < 0 || Retry(() => dup2(fd, 0)) < 0)
        {
            throw new IOException($"cannot make the spool standard input: {Describe(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>execv: returns only when it failed, with the errno.</summary>
    public static int Exec(string path, string[] args)
    {
        var strings = new IntPtr[args.Length + 1];
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                strings[i] = Marshal.StringToCoTaskMemUTF8(args[i]);
            }

            fixed (IntPtr* argv = strings)
            {
                _ = execv(path, argv);
                return Marshal.GetLastPInvokeError();
            }
        }
        finally
        {
            foreach (var s in strings)
            {
                Marshal.FreeCoTaskMem(s);
            }
        }
    }

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    private static int Retry(Func<int> call)
    {
        int r;
        while ((r = call()) < 0 && Marshal.GetLastPInvokeError() == EIntr)
        {
        }

        return r;
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int unlink(string path);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial long lseek(int fd, long offset, int whence);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int dup2(int oldfd, int newfd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int execv(string path, IntPtr* argv);
}
