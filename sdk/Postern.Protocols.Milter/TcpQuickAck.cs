using System.Net.Sockets;

namespace Postern.Protocols.Milter;

/// <summary>
/// Linux's TCP_QUICKACK for a milter connection: after each answer, the connection leaves the kernel's interactive
/// ("pingpong") mode, so the next packets the MTA sends without waiting for a reply are acknowledged as soon as they
/// are read rather than when the delayed-acknowledgement timer fires. Without it the MTA's Nagle algorithm holds its
/// next small write (the header block after the envelope commands) until that timer: up to 40 ms a message.
/// The option is not sticky (the kernel re-enters the mode after each answer), hence a call per answer. Elsewhere,
/// and on unix sockets, a no-op.
/// </summary>
public sealed class TcpQuickAck
{
    private const int IpProtoTcp = 6;
    private const int TcpQuickAckOption = 12;
    private static readonly byte[] One = BitConverter.GetBytes(1);
    private readonly Socket socket;
    private bool failed;

    private TcpQuickAck(Socket socket) => this.socket = socket;

    /// <summary>The helper for <paramref name="socket"/>, or null where the option does not apply (not TCP, not Linux).</summary>
    public static TcpQuickAck? For(Socket socket) =>
        OperatingSystem.IsLinux() && socket.ProtocolType == ProtocolType.Tcp ? new TcpQuickAck(socket) : null;

    /// <summary>Asks for acknowledgements without delay until the kernel's next interactive exchange; never throws.</summary>
    public void Arm()
    {
        if (failed)
        {
            return;
        }

        try
        {
            socket.SetRawSocketOption(IpProtoTcp, TcpQuickAckOption, One);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or PlatformNotSupportedException)
        {
            // A closed socket or a kernel without the option: the session goes on as before.
            failed = true;
        }
    }
}
