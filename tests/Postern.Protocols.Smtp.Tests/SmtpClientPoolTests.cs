using System.Collections.Immutable;
using Postern.Testing;

namespace Postern.Protocols.Smtp.Tests;

/// <summary>Kept reinjection connections: reused, replaced when the server dropped them, never resent after DATA.</summary>
public sealed class SmtpClientPoolTests
{
    private static readonly SmtpEnvelope Envelope = new("a@x", [], [new SmtpRecipient("b@x")], ImmutableDictionary<string, string>.Empty);

    private static SmtpClientPool Pool(int port) =>
        new("127.0.0.1", port, new SmtpClientOptions { ReplyTimeout = TimeSpan.FromSeconds(10) }, 4, TimeSpan.FromSeconds(30));

    [Fact]
    public async Task SendAsync_ThreeMessages_OneConnection()
    {
        await using var sink = new RecordingSmtpSink();
        await using var pool = Pool(sink.Port);

        for (var i = 0; i < 3; i++)
        {
            await pool.SendAsync(Envelope, "Subject: x\r\n\r\ny\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
        }

        Assert.Equal(3, sink.Messages.Count);
        Assert.Single(sink.Commands, c => c.StartsWith("EHLO", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_ServerDroppedTheKeptConnection_SentOnAFreshOne()
    {
        var sink = new RecordingSmtpSink();
        var port = sink.Port;
        await using var pool = Pool(port);
        await pool.SendAsync(Envelope, "x\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
        await sink.DisposeAsync();
        await using var again = new RecordingSmtpSink(port);

        await pool.SendAsync(Envelope, "second\r\n"u8.ToArray(), TestContext.Current.CancellationToken);

        Assert.Equal("second\r\n", Assert.Single(again.Messages).Text);
    }

    [Fact]
    public async Task SendAsync_RecipientRefused_ConnectionStaysUsable()
    {
        await using var sink = new RecordingSmtpSink { RecipientReply = r => r == "bad@x" ? 550 : 250 };
        await using var pool = new SmtpClientPool("127.0.0.1", sink.Port, new SmtpClientOptions { AllRecipientsOrNone = true }, 4, TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<SmtpException>(() => pool.SendAsync(Envelope with { Recipients = [new SmtpRecipient("bad@x"), new SmtpRecipient("b@x")] },
            "x\r\n"u8.ToArray(), TestContext.Current.CancellationToken));
        await pool.SendAsync(Envelope, "y\r\n"u8.ToArray(), TestContext.Current.CancellationToken);

        Assert.Equal(["b@x"], Assert.Single(sink.Messages).Recipients);
        Assert.Contains("RSET", sink.Commands);
        Assert.Single(sink.Commands, c => c.StartsWith("EHLO", StringComparison.Ordinal));
    }
}
