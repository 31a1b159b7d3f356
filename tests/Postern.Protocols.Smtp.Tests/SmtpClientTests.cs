using System.Text;
using Postern.Protocols.Smtp.Tests.Support;

namespace Postern.Protocols.Smtp.Tests;

public sealed class SmtpClientTests
{
    private static readonly SmtpClient Client = new(new SmtpClientOptions { HeloName = "test.local", ReplyTimeout = TimeSpan.FromSeconds(10) });

    [Fact]
    public async Task SendAsync_AcceptingServer_DeliversEnvelopeAndBytes()
    {
        await using var sink = new SmtpSink();
        var message = "Subject: hi\r\n\r\nbody line\r\n.starts with dot\r\n"u8.ToArray();

        var delivery = await Client.SendAsync("127.0.0.1", sink.Port, "a@example.org", ["b@example.net", "c@example.net"], message,
            TestContext.Current.CancellationToken);

        Assert.Equal(250, delivery.DataReply.Code);
        var t = Assert.Single(sink.Transactions);
        Assert.Equal("a@example.org", t.Sender);
        Assert.Equal(["b@example.net", "c@example.net"], t.Recipients);
        Assert.Equal(message, t.Data);
    }

    [Fact]
    public async Task SendAsync_BareLineFeeds_BecomeCrLfAndNoBareLfReachesTheServer()
    {
        await using var sink = new SmtpSink();

        await Client.SendAsync("127.0.0.1", sink.Port, "", ["b@example.net"], "Subject: x\n\nline1\nline2"u8.ToArray(),
            TestContext.Current.CancellationToken);

        var t = Assert.Single(sink.Transactions);
        Assert.Equal("Subject: x\r\n\r\nline1\r\nline2\r\n", Encoding.ASCII.GetString(t.Data));
        Assert.Equal("", t.Sender);
    }

    [Fact]
    public async Task SendAsync_EightBitBody_AsksForEightBitMime()
    {
        await using var sink = new SmtpSink();

        await Client.SendAsync("127.0.0.1", sink.Port, "a@x", ["b@y"], Encoding.UTF8.GetBytes("Subject: é\r\n\r\né\r\n"),
            TestContext.Current.CancellationToken);

        Assert.Contains(sink.Commands, c => c == "MAIL FROM:<a@x> BODY=8BITMIME");
    }

    [Fact]
    public async Task SendAsync_DataRefused_ThrowsWithTheReply()
    {
        await using var sink = new SmtpSink(dataReplyCode: 451);

        var e = await Assert.ThrowsAsync<SmtpException>(() => Client.SendAsync("127.0.0.1", sink.Port, "a@x", ["b@y"], "x\r\n"u8.ToArray(),
            TestContext.Current.CancellationToken));

        Assert.Equal(451, e.Reply?.Code);
        Assert.True(e.IsTransient);
    }

    [Fact]
    public async Task SendAsync_SomeRecipientsRefused_ReportsThemAndDeliversToTheRest()
    {
        await using var sink = new SmtpSink(recipientReply: r => r.StartsWith("bad", StringComparison.Ordinal) ? 550 : 250);

        var delivery = await Client.SendAsync("127.0.0.1", sink.Port, "a@x", ["bad@y", "good@y"], "x\r\n"u8.ToArray(),
            TestContext.Current.CancellationToken);

        Assert.Equal(["good@y"], delivery.Accepted);
        Assert.Equal(550, Assert.Single(delivery.Refused).Value.Code);
    }

    [Fact]
    public async Task SendAsync_EveryRecipientRefused_ThrowsPermanent()
    {
        await using var sink = new SmtpSink(recipientReply: _ => 550);

        var e = await Assert.ThrowsAsync<SmtpException>(() => Client.SendAsync("127.0.0.1", sink.Port, "a@x", ["b@y"], "x\r\n"u8.ToArray(),
            TestContext.Current.CancellationToken));

        Assert.False(e.IsTransient);
        Assert.Empty(sink.Transactions);
    }

    [Fact]
    public async Task SendAsync_NobodyListening_ThrowsTransient()
    {
        var port = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        port.Start();
        var free = ((System.Net.IPEndPoint)port.LocalEndpoint).Port;
        port.Stop();

        var e = await Assert.ThrowsAsync<SmtpException>(() => Client.SendAsync("127.0.0.1", free, "a@x", ["b@y"], "x\r\n"u8.ToArray(),
            TestContext.Current.CancellationToken));

        Assert.True(e.IsTransient);
    }

    [Theory]
    [InlineData("a@x>\r\nRCPT TO:<evil@y")]
    [InlineData("a b@x")]
    public async Task SendAsync_AddressWithCommandSyntax_IsRefusedBeforeConnecting(string sender)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Client.SendAsync("127.0.0.1", 1, sender, ["b@y"], "x"u8.ToArray(),
            TestContext.Current.CancellationToken));
    }
}
