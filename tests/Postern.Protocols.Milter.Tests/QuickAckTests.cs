using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;

using static Postern.Protocols.Milter.Tests.SessionTests;

namespace Postern.Protocols.Milter.Tests;

/// <summary>
/// How a TCP milter connection keeps the MTA's Nagle algorithm from holding its header packets: quick
/// acknowledgement after each answer (Linux), or an answer to DATA where that is not available.
/// </summary>
public sealed class QuickAckTests
{
    private const int IpProtoTcp = 6;
    private const int TcpQuickAckOption = 12;

    [Fact]
    public async Task Arm_puts_a_TCP_connection_into_quick_acknowledgement_on_Linux()
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        server.Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(server.LocalEndPoint!);
        using var accepted = await server.AcceptAsync();

        var quick = TcpQuickAck.For(accepted);
        if (!OperatingSystem.IsLinux())
        {
            Assert.Null(quick);
            return;
        }

        Assert.NotNull(quick);

        // An exchange like a milter answer: the side that answers right after reading goes interactive, and the kernel
        // then delays its acknowledgements (getsockopt reads 0 for "not in quick-ack mode").
        for (var i = 0; i < 4; i++)
        {
            await client.SendAsync(new byte[] { 1 });
            var buffer = new byte[16];
            await accepted.ReceiveAsync(buffer);
            await accepted.SendAsync(new byte[] { 2 });
            await client.ReceiveAsync(buffer);
        }

        var before = new byte[4];
        accepted.GetRawSocketOption(IpProtoTcp, TcpQuickAckOption, before);
        Assert.Equal(0, BitConverter.ToInt32(before));
        quick.Arm();
        var value = new byte[4];
        Assert.Equal(4, accepted.GetRawSocketOption(IpProtoTcp, TcpQuickAckOption, value));
        Assert.Equal(1, BitConverter.ToInt32(value));
    }

    [Fact]
    public void Unix_sockets_get_none_and_a_closed_socket_never_throws()
    {
        using var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        Assert.Null(TcpQuickAck.For(unix));

        var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var quick = TcpQuickAck.For(tcp);
        tcp.Dispose();
        quick?.Arm();
        quick?.Arm();
    }

    [Fact]
    public async Task The_listener_asks_TCP_MTAs_not_to_wait_for_DATA_when_it_can_acknowledge_quickly()
    {
        var handler = new Handler((_, _) => Task.FromResult(MilterResult.Of(MilterReply.Accept)));
        await using var listener = await StartAsync(handler);
        await using var mta = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
        await mta.NegotiateAsync();
        Assert.Equal(OperatingSystem.IsLinux(), (mta.Steps & 0x10000) != 0);
    }

    [Fact]
    public async Task Without_quick_acknowledgement_DATA_is_answered_and_the_transaction_completes()
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        server.Listen();
        var handler = new Handler((_, _) => Task.FromResult(MilterResult.Of(MilterReply.Accept)));
        await using var mta = await MtaClient.ConnectAsync(server.LocalEndPoint!);
        using var accepted = await server.AcceptAsync();
        await using var stream = new NetworkStream(accepted, ownsSocket: false);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var session = new MilterSession(stream, handler, new MilterOptions(), NullLogger.Instance, "test", quickAck: null, answerData: true)
            .RunAsync(stop.Token, stop.Token);

        await mta.NegotiateAsync();
        Assert.Equal(0u, mta.Steps & 0x10000);       // DATA is answered
        Assert.Equal(0u, mta.Steps & 0x200);         // and so not skipped (SMFIP_NODATA)
        Assert.NotEqual(0u, mta.Steps & 0x8000);     // the rest of the envelope still goes without replies
        var replies = await mta.SendMessageAsync("s@example.org", ["r@example.net"], Headers, "x\r\n"u8.ToArray());
        Assert.Equal('a', Assert.Single(replies).Command);
        Assert.Equal("s@example.org", Assert.Single(handler.Messages).Sender);

        await mta.SendAsync('Q', []);
        await session.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
