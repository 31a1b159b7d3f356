using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Postern.Protocols.Clamd.Tests.Support;

/// <summary>sendmsg with SCM_RIGHTS, as clamdscan --fdpass does: one NUL byte carrying one descriptor.</summary>
internal static unsafe partial class FdPassing
{
    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    private static partial nint SendMsg(nint socket, void* message, int flags);

    public static void Send(Socket socket, int fd)
    {
        byte data = 0;
        var iov = stackalloc nint[2];
        iov[0] = (nint)(&data);
        iov[1] = 1;
        var control = stackalloc byte[24];
        *(nuint*)control = 20; // cmsg_len = CMSG_LEN(sizeof(int))
        *(int*)(control + 8) = 1; // SOL_SOCKET
        *(int*)(control + 12) = 1; // SCM_RIGHTS
        *(int*)(control + 16) = fd;
        var header = stackalloc byte[56];
        new Span<byte>(header, 56).Clear();
        *(nint*)(header + 16) = (nint)iov; // msg_iov
        *(nuint*)(header + 24) = 1; // msg_iovlen
        *(nint*)(header + 32) = (nint)control; // msg_control
        *(nuint*)(header + 40) = 24; // msg_controllen = CMSG_SPACE(sizeof(int))
        if (SendMsg(socket.Handle, header, 0) < 0)
        {
            throw new IOException($"sendmsg failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }
}
