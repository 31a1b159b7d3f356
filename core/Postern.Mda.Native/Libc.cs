using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Postern.Mda.Native;

/// <summary>The few Linux calls .NET has no API for: a nameless file (on disk or in memory), putting a descriptor on
/// fd 0, execv, and starting and waiting for a child without <c>System.Diagnostics.Process</c> (which starts threads
/// and takes over SIGCHLD for a program that runs one child once).</summary>
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
    private const int MfdCloexec = 1;
    private const ushort AfUnix = 1;
    private const int SockStream = 1;
    private const int SockCloexec = 0x80000;
    private const int SolSocket = 1;
    private const int SoRcvtimeo = 20;
    private const int SoSndtimeo = 21;
    private const int MsgNosignal = 0x4000;
    private const int SigChld = 17; // x86-64 and arm64 alike
    private const nint SigDfl = 0;
    private const nint SigIgn = 1;
    private const int SigactionSize = 256; // glibc's struct sigaction is 152 bytes; the handler comes first

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

    /// <summary>An anonymous in-memory file (<c>memfd_create</c>), read-write, close-on-exec; null when the kernel
    /// refuses one (no memfd support, a seccomp filter), so the caller can use a file on disk.</summary>
    public static SafeFileHandle? CreateMemoryFile()
    {
        var fd = Retry(() => memfd_create("postern-mda", MfdCloexec));
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : null;
    }

    /// <summary>Starts <paramref name="path"/> with <paramref name="args"/> (argv[0] included) and
    /// <paramref name="environment"/> (NAME=value) by <c>posix_spawn</c>; the child inherits descriptors 0-2 and
    /// the signal mask. Returns 0 and the pid, or the errno (the exec's own, glibc reports it).</summary>
    public static int Spawn(string path, IReadOnlyList<string> args, IReadOnlyList<string> environment, out int pid)
    {
        // SIGCHLD ignored (an MTA may start us so) would let the kernel reap the child, and its status, the one thing
        // that says whether the mail was delivered, would be lost: wait for it as any parent does.
        var old = stackalloc byte[SigactionSize];
        if (sigaction(SigChld, null, old) == 0 && *(nint*)old == SigIgn)
        {
            _ = signal(SigChld, SigDfl);
        }

        var strings = new nint[args.Count + 1 + environment.Count + 1];
        try
        {
            for (var i = 0; i < args.Count; i++)
            {
                strings[i] = Marshal.StringToCoTaskMemUTF8(args[i]);
            }

            for (var i = 0; i < environment.Count; i++)
            {
                strings[args.Count + 1 + i] = Marshal.StringToCoTaskMemUTF8(environment[i]);
            }

            fixed (nint* all = strings)
            {
                int child;
                var rc = posix_spawn(&child, path, null, null, all, all + args.Count + 1);
                pid = rc == 0 ? child : -1;
                return rc;
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

    /// <summary>Waits for <paramref name="pid"/> to end: its exit code (0-255), or -signal when a signal killed
    /// it. Throws <see cref="IOException"/> when the status cannot be had.</summary>
    public static int Wait(int pid)
    {
        int status;
        int r;
        while ((r = waitpid(pid, &status, 0)) < 0 && Marshal.GetLastPInvokeError() == EIntr)
        {
        }

        if (r != pid)
        {
            throw new IOException($"cannot wait for the MDA (pid {pid}): {Describe(Marshal.GetLastPInvokeError())}");
        }

        // WIFEXITED / WEXITSTATUS / WTERMSIG; a stopped child is not reported without WUNTRACED.
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -(status & 0x7f);
    }

    public const int EAgain = 11;

    /// <summary>A unix stream socket, close-on-exec.</summary>
    public static int UnixSocket()
    {
        var fd = socket(AfUnix, SockStream | SockCloexec, 0);
        return fd >= 0 ? fd : throw new IOException($"cannot create a socket: {Describe(Marshal.GetLastPInvokeError())}");
    }

    /// <summary>connect to a unix socket path: 0 or the errno.</summary>
    public static int Connect(int fd, string path)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path);
        if (bytes.Length >= 108)
        {
            return 36; // ENAMETOOLONG
        }

        var address = stackalloc byte[110];
        new Span<byte>(address, 110).Clear();
        *(ushort*)address = AfUnix;
        bytes.CopyTo(new Span<byte>(address + 2, 108));
        int r;
        while ((r = connect(fd, address, 110)) < 0 && Marshal.GetLastPInvokeError() == EIntr)
        {
        }

        return r == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>SO_SNDTIMEO and SO_RCVTIMEO, both <paramref name="ms"/>.</summary>
    public static void SetTimeouts(int fd, int ms)
    {
        var tv = stackalloc long[2];
        tv[0] = ms / 1000;
        tv[1] = ms % 1000 * 1000;
        if (setsockopt(fd, SolSocket, SoRcvtimeo, tv, 16) != 0 || setsockopt(fd, SolSocket, SoSndtimeo, tv, 16) != 0)
        {
            throw new IOException($"cannot set the socket's timeouts: {Describe(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>recv: bytes read (0 at the end), or -1 with the errno.</summary>
    public static int Receive(int fd, Span<byte> buffer, out int errno)
    {
        fixed (byte* p = buffer)
        {
            nint n;
            while ((n = recv(fd, p, (nint)buffer.Length, 0)) < 0 && Marshal.GetLastPInvokeError() == EIntr)
            {
            }

            errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
            return (int)n;
        }
    }

    /// <summary>send without SIGPIPE: bytes written, or -1 with the errno.</summary>
    public static int Send(int fd, ReadOnlySpan<byte> buffer, out int errno)
    {
        fixed (byte* p = buffer)
        {
            nint n;
            while ((n = send(fd, p, (nint)buffer.Length, MsgNosignal)) < 0 && Marshal.GetLastPInvokeError() == EIntr)
            {
            }

            errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
            return (int)n;
        }
    }

    public static void Shutdown(int fd) => _ = shutdown(fd, 2);

    public static void Close(int fd) => _ = close(fd);

    /// <summary>Whether the caller may execute <paramref name="path"/> (<c>access(X_OK)</c>).</summary>
    public static bool IsExecutable(string path) => access(path, 1) == 0;

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

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int memfd_create(string name, int flags);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn(int* pid, string path, void* fileActions, void* attributes, nint* argv, nint* envp);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitpid(int pid, int* status, int options);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sigaction(int signum, void* act, void* oldact);

    [LibraryImport("libc")]
    private static partial nint signal(int signum, nint handler);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int access(string path, int mode);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int connect(int fd, void* address, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setsockopt(int fd, int level, int name, void* value, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint recv(int fd, void* buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint send(int fd, void* buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int shutdown(int fd, int how);
}
