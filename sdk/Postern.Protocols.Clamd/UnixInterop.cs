using System.Runtime.InteropServices;

namespace Postern.Protocols.Clamd;

/// <summary>The few libc calls .NET does not expose: recvmsg with SCM_RIGHTS (FILDES) and realpath (scan roots).
/// Linux x86-64/arm64 layouts (LP64).</summary>
internal static unsafe partial class UnixInterop
{
    private const int SolSocket = 1;
    private const int ScmRights = 1;
    private const int MsgDontWait = 0x40;
    private const int MsgCmsgCloexec = 0x40000000;
    internal const int EAgain = 11;
    internal const int EIntr = 4;

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    private static partial nint RecvMsg(nint socket, MsgHdr* message, int flags);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint SendRaw(nint socket, byte* buffer, nuint length, int flags);

    /// <summary>Non-blocking send without SIGPIPE: bytes sent, or -errno.</summary>
    public static int Send(nint socket, ReadOnlySpan<byte> data)
    {
        const int msgNoSignal = 0x4000;
        fixed (byte* p = data)
        {
            var n = SendRaw(socket, p, (nuint)data.Length, MsgDontWait | msgNoSignal);
            return n >= 0 ? (int)n : -Marshal.GetLastPInvokeError();
        }
    }

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint RealPath(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static partial int FStat(int fd, byte* buffer);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(nint pointer);

    /// <summary>Non-blocking recvmsg: bytes read (0 at end of stream), or -errno. Descriptors that came with the bytes
    /// are added to <paramref name="descriptors"/> (close-on-exec).</summary>
    public static int Receive(nint socket, Span<byte> buffer, List<int> descriptors)
    {
        const int controlSize = 256;
        var control = stackalloc byte[controlSize];
        fixed (byte* data = buffer)
        {
            var iov = new IoVec { Base = data, Length = (nuint)buffer.Length };
            var header = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = controlSize };
            var n = RecvMsg(socket, &header, MsgDontWait | MsgCmsgCloexec);
            if (n < 0)
            {
                return -Marshal.GetLastPInvokeError();
            }

            // Walk the control messages (struct cmsghdr: size_t len, int level, int type, then data; 8-byte aligned).
            var offset = 0;
            var total = (int)header.ControlLength;
            while (offset + 16 <= total)
            {
                var len = (int)*(nuint*)(control + offset);
                var level = *(int*)(control + offset + 8);
                var type = *(int*)(control + offset + 12);
                if (len < 16 || offset + len > total)
                {
                    break;
                }

                if (level == SolSocket && type == ScmRights)
                {
                    for (var p = 16; p + 4 <= len; p += 4)
                    {
                        descriptors.Add(*(int*)(control + offset + p));
                    }
                }

                offset += (len + 7) & ~7;
            }

            return (int)n;
        }
    }

    /// <summary>Opens a path read-only without blocking on a FIFO or taking a terminal; -errno on failure.</summary>
    public static int OpenReadOnly(string path)
    {
        const int flags = 0x800 | 0x100 | 0x80000; // O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC
        var fd = Open(path, flags);
        return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
    }

    /// <summary>Whether an open descriptor is a regular file (fstat, x86-64 struct stat: st_mode at offset 24).</summary>
    public static bool IsRegularFile(int fd)
    {
        var stat = stackalloc byte[256];
        if (FStat(fd, stat) != 0)
        {
            return false;
        }

        var mode = *(uint*)(stat + 24);
        return (mode & 0xF000) == 0x8000;
    }

    /// <summary>realpath(3): the absolute path with every symbolic link, <c>.</c> and <c>..</c> resolved, or
    /// <c>null</c> with the errno when a component does not exist or cannot be read.</summary>
    public static string? ResolvePath(string path, out int errno)
    {
        errno = 0;
        var p = RealPath(path, 0);
        if (p == 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(p);
        }
        finally
        {
            Free(p);
        }
    }

    /// <summary>strerror-style text for the errnos a path lookup gives, as clamd prints them.</summary>
    public static string ErrorText(int errno) => errno switch
    {
        2 => "No such file or directory",
        13 => "Permission denied",
        20 => "Not a directory",
        36 => "File name too long",
        40 => "Too many levels of symbolic links",
        _ => Marshal.GetPInvokeErrorMessage(errno),
    };
}
