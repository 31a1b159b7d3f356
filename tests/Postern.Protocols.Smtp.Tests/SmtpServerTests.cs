using System.Collections.Immutable;
using System.Text;
using Postern.Protocols.Smtp.Tests.Support;

namespace Postern.Protocols.Smtp.Tests;

/// <summary>The ESMTP server over real loopback sockets: extensions, envelope pass-through, DATA framing, limits.</summary>
public sealed class SmtpServerTests
{
    private static async Task<RawSmtp> OpenAsync(TestServer server, bool ehlo = true)
    {
        var c = await RawSmtp.ConnectAsync(server.Port);
        Assert.StartsWith("220 ", await c.ReplyAsync());
        if (ehlo)
        {
            Assert.StartsWith("250", await c.CommandAsync("EHLO mta.test"));
        }

        return c;
    }

    [Fact]
    public async Task Ehlo_AnnouncesTheExtensionsAnAfterQueueFilterNeeds()
    {
        await using var server = await TestServer.StartAsync();
        await using var c = await OpenAsync(server, ehlo: false);

        var reply = await c.CommandAsync("EHLO mta.test");

        foreach (var ext in new[] { "PIPELINING", "SIZE 52428800", "8BITMIME", "SMTPUTF8", "DSN", "XFORWARD NAME ADDR PORT PROTO HELO IDENT SOURCE" })
        {
            Assert.Contains("250-" + ext, reply!.Replace("250 ", "250-", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Transaction_DsnParametersAndXforward_ReachTheHandlerVerbatim()
    {
        await using var server = await TestServer.StartAsync();
        await using var c = await OpenAsync(server);

        Assert.StartsWith("250", await c.CommandAsync("XFORWARD NAME=client.example ADDR=192.0.2.7 PORT=4711 PROTO=ESMTP"));
        Assert.StartsWith("250", await c.CommandAsync("XFORWARD HELO=client.example IDENT=4XyZ SOURCE=REMOTE"));
        Assert.StartsWith("250", await c.CommandAsync("MAIL FROM:<a@example.org> SIZE=20 BODY=8BITMIME RET=HDRS ENVID=abc+2Bd"));
        Assert.StartsWith("250", await c.CommandAsync("RCPT TO:<b@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.net"));
        Assert.StartsWith("250", await c.CommandAsync("RCPT TO:<c@example.net>"));
        Assert.StartsWith("354", await c.CommandAsync("DATA"));
        Assert.StartsWith("250 2.0.0 Ok: queued", await c.CommandAsync("Subject: t\r\n\r\nbody\r\n."));

        var t = Assert.Single(server.Received);
        Assert.Equal("a@example.org", t.Envelope.Sender);
        Assert.Equal(["BODY=8BITMIME", "RET=HDRS", "ENVID=abc+2Bd"], t.Envelope.MailParameters);
        Assert.Equal(["NOTIFY=SUCCESS,FAILURE", "ORCPT=rfc822;b@example.net"], t.Envelope.Recipients[0].Parameters);
        Assert.Empty(t.Envelope.Recipients[1].Parameters);
        Assert.Equal("192.0.2.7", t.Envelope.Xforward["ADDR"]);
        Assert.Equal("4XyZ", t.Envelope.Xforward["IDENT"]);
        Assert.Equal(7, t.Envelope.Xforward.Count);
        Assert.Equal("mta.test", t.Helo);
        Assert.Equal("Subject: t\r\n\r\nbody\r\n", Encoding.ASCII.GetString(t.Message.Span));
    }

    [Fact]
    public async Task Pipelining_WholeTransactionInOneWrite_RepliesInOrder()
    {
        await using var server = await TestServer.StartAsync();
        await using var c = await OpenAsync(server);

        await c.SendAsync("MAIL FROM:<>\r\nRCPT TO:<b@x>\r\nRCPT TO:<c@x>\r\nDATA\r\n");
        var replies = new[] { await c.ReplyAsync(), await c.ReplyAsync(), await c.ReplyAsync(), await c.ReplyAsync() };
        await c.SendAsync("x\r\n.\r\nMAIL FROM:<d@x>\r\nRCPT TO:<e@x>\r\nDATA\r\n");
        var second = new[] { await c.ReplyAsync(), await c.ReplyAsync(), await c.ReplyAsync(), await c.ReplyAsync() };
        await c.SendAsync("y\r\n.\r\n");

        Assert.Equal(["250", "250", "250", "354"], replies.Select(r => r![..3]));
        Assert.Equal(["250", "250", "250", "354"], second.Select(r => r![..3]));
        Assert.StartsWith("250", await c.ReplyAsync());
        Assert.Equal(["", "d@x"], server.Received.Select(t => t.Envelope.Sender));
    }

    [Fact]
    public async Task Data_StuffedDots_AreUndone()
    {
        await using var server = await TestServer.StartAsync();
        await using var c = await OpenAsync(server);

        await c.CommandAsync("MAIL FROM:<a@x>");
        await c.CommandAsync("RCPT TO:<b@x>");
        await c.CommandAsync("DATA");
        Assert.StartsWith("250", await c.CommandAsync("..\r\n...x\r\n.y\r\n."));

        Assert.Equal(".\r\n..x\r\ny\r\n", Encoding.ASCII.GetString(Assert.Single(server.Received).Message.Span));
    }

    [Theory]
    [InlineData("\n.\n")]
    [InlineData("\r.\r")]
    [InlineData("\r.\n")]
    [InlineData("\n.\r\n")]
    [InlineData("\r.\r\n")]
    [InlineData("\r\n.\n")]
    [InlineData("\r\n.\r")]
    public async Task Data_SmugglingTerminator_NeitherEndsDataNorPassesWhenRejecting(string fake)
    {
        await using var server = await TestServer.StartAsync();
        await using var c = await OpenAsync(server);
        await c.CommandAsync("MAIL FROM:<a@x>");
        await c.CommandAsync("RCPT TO:<b@x>");
        await c.CommandAsync("DATA");

        await c.SendAsync($"Subject: one\r\n\r\nhello{fake}MAIL FROM:<evil@x>\r\nRCPT TO:<victim@x>\r\nDATA\r\nSubject: smuggled\r\n\r\nx\r\n.\r\n");

        Assert.StartsWith("554 5.6.0", await c.ReplyAsync());
        Assert.StartsWith("221", await c.CommandAsync("QUIT"));
        Assert.Empty(server.Received);
    }

    [Theory]
    [InlineData("\n.\n")]
    [InlineData("\r.\r\n")]
    [InlineData("\r\n.\n")]
    public async Task Data_SmugglingTerminatorWhenNormalizing_IsOneMessageWithCrLfOnly(string fake)
    {
        await using var server = await TestServer.StartAsync(new SmtpServerOptions { BareLineEndings = BareLineEndingPolicy.Normalize });
        await using var c = await OpenAsync(server);
        await c.CommandAsync("MAIL FROM:<a@x>");
        await c.CommandAsync("RCPT TO:<b@x>");
        await c.CommandAsync("DATA");

        await c.SendAsync($"Subject: one\r\n\r\nhello{fake}MAIL FROM:<evil@x>\r\n.\r\n");

        Assert.StartsWith("250", await c.ReplyAsync());
        Assert.StartsWith("221", await c.CommandAsync("QUIT"));
        var t = Assert.Single(server.Received);
        var text = Encoding.ASCII.GetString(t.Message.Span);
        Assert.Contains("MAIL FROM:<evil@x>\r\n", text, StringComparison.Ordinal);
        Assert.True(t.BareLineEndingsNormalized);
        Assert.DoesNotMatch("(?<!\r)\n|\r(?!\n)", text);
    }

    [Fact]
    public async Task Data_OverSizeLimit_ReadToTheEndThen552AndTheSessionGoesOn()
    {
        await using var server = await TestServer.StartAsync(new SmtpServerOptions { MaxMessageSize = 1000 });
        await using var c = await OpenAsync(server);
        Assert.StartsWith("552 5.3.4", await c.CommandAsync("MAIL FROM:<a@x> SIZE=1001"));
        await c.CommandAsync("MAIL FROM:<a@x> SIZE=900");
        await c.CommandAsync("RCPT TO:<b@x>");
        await c.CommandAsync("DATA");

        await c.SendAsync(string.Concat(Enumerable.Repeat(new string('x', 70) + "\r\n", 200)) + ".\r\n");

        Assert.StartsWith("552 5.3.4", await c.ReplyAsync());
        Assert.StartsWith("250", await c.CommandAsync("NOOP"));
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task Data_LineOverLimit_Refused()
    {
        await using var server = await TestServer.StartAsync(new SmtpServerOptions { MaxDataLineLength = 100 });
        await using var c = await OpenAsync(server);
        await c.CommandAsync("MAIL FROM:<a@x>");
        await c.CommandAsync("RCPT TO:<b@x>");
        await c.CommandAsync("DATA");

        Assert.StartsWith("554 5.6.0", await c.CommandAsync(new string('y', 200) + "\r\n."));
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task CommandLine_OverLimit_500AndTheSessionGoesOn()
    {
        await using var server = await TestServer.StartAsync();
        await using var c = await OpenAsync(server);

        Assert.StartsWith("500 5.5.0", await c.CommandAsync("MAIL FROM:<" + new string('a', 5000) + "@x>"));
        Assert.StartsWith("250", await c.CommandAsync("MAIL FROM:<a@x>"));
    }

    [Fact]
    public async Task Recipients_OverLimit_452()
    {
        await using var server = await TestServer.StartAsync(new SmtpServerOptions { MaxRecipients = 2 });
        await using var c = await OpenAsync(server);
        await c.CommandAsync("MAIL FROM:<a@x>");

        Assert.StartsWith("250", await c.CommandAsync("RCPT TO:<1@x>"));
        Assert.StartsWith("250", await c.CommandAsync("RCPT TO:<2@x>"));
        Assert.StartsWith("452 4.5.3", await c.CommandAsync("RCPT TO:<3@x>"));
    }

    [Theory]
    [InlineData("MAIL FROM:<a@x> FOO=bar", "555")]
    [InlineData("MAIL FROM:a@x", "501")]
    [InlineData("RCPT TO:<b@x>", "503")]
    [InlineData("DATA", "503")]
    [InlineData("BDAT 10 LAST", "502")]
    [InlineData("STARTTLS", "502")]
    [InlineData("\u0001\u0002garbage", "500")]
    [InlineData("XFORWARD EVIL=1", "501")]
    public async Task BadCommand_GetsPreciseError(string command, string code)
    {
        await using var server = await TestServer.StartAsync();
        await using var c = await OpenAsync(server);

        Assert.StartsWith(code, await c.CommandAsync(command));
        Assert.StartsWith("250", await c.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task Garbage_PastTheJunkLimit_421AndClosed()
    {
        await using var server = await TestServer.StartAsync(new SmtpServerOptions { MaxJunkCommands = 5 });
        await using var c = await OpenAsync(server);

        await c.SendAsync(string.Concat(Enumerable.Repeat("WHAT\r\n", 20)));

        var replies = new List<string>();
        while (await c.ReplyAsync() is { } r)
        {
            replies.Add(r);
        }

        Assert.StartsWith("421", replies[^1]);
        Assert.True(replies.Count <= 7, string.Join('\n', replies));
    }

    [Fact]
    public async Task IdleClient_IsDisconnectedAfterTheIdleTimeout()
    {
        await using var server = await TestServer.StartAsync(new SmtpServerOptions { IdleTimeout = TimeSpan.FromSeconds(1) });
        await using var c = await OpenAsync(server);

        Assert.True(await c.ClosedAsync(10));
    }

    [Fact]
    public async Task Connections_OverLimit_421()
    {
        await using var server = await TestServer.StartAsync(new SmtpServerOptions { MaxConnections = 1 });
        await using var first = await OpenAsync(server);
        await using var second = await RawSmtp.ConnectAsync(server.Port);

        Assert.StartsWith("421 4.3.2", await second.ReplyAsync());
        Assert.StartsWith("250", await first.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task HandlerThrows_451()
    {
        await using var server = await TestServer.StartAsync(reply: (_, _) => throw new InvalidOperationException("engine down"));
        await using var c = await OpenAsync(server);
        await c.CommandAsync("MAIL FROM:<a@x>");
        await c.CommandAsync("RCPT TO:<b@x>");
        await c.CommandAsync("DATA");

        Assert.StartsWith("451 4.3.0", await c.CommandAsync("x\r\n."));
    }

    [Fact]
    public async Task Stop_IdleConnection_Gets421()
    {
        var server = await TestServer.StartAsync();
        await using var c = await OpenAsync(server);

        await server.Server.StopAsync(TestContext.Current.CancellationToken);

        Assert.StartsWith("421 4.3.2", await c.ReplyAsync());
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Stop_MessageInFlight_FinishesItFirst()
    {
        var release = new TaskCompletionSource();
        var server = await TestServer.StartAsync(reply: async (_, _) =>
        {
            await release.Task;
            return new SmtpReply(250, "2.0.0 done");
        });
        await using var c = await OpenAsync(server);
        await c.CommandAsync("MAIL FROM:<a@x>");
        await c.CommandAsync("RCPT TO:<b@x>");
        await c.CommandAsync("DATA");
        await c.SendAsync("x\r\n.\r\n");
        while (server.Received.IsEmpty)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        var stop = server.Server.StopAsync(TestContext.Current.CancellationToken);
        release.SetResult();
        await stop;

        Assert.StartsWith("250 2.0.0 done", await c.ReplyAsync());
        Assert.StartsWith("421", await c.ReplyAsync());
        await server.DisposeAsync();
    }

    [Fact]
    public async Task ClientToServer_EnvelopeWithDsnAndXforward_ArrivesUnchanged()
    {
        await using var server = await TestServer.StartAsync();
        var envelope = new SmtpEnvelope("a@example.org", ["BODY=8BITMIME", "RET=FULL", "ENVID=id1"],
            [new SmtpRecipient("b@example.net", ["NOTIFY=NEVER"]), new SmtpRecipient("c@example.net", ["ORCPT=rfc822;c@example.net"])],
            new Dictionary<string, string> { ["NAME"] = "mx.example", ["ADDR"] = "192.0.2.1", ["IDENT"] = "QID1" }.ToImmutableDictionary());
        var message = "Subject: r\r\n\r\n.leading dot\r\n"u8.ToArray();

        var d = await new SmtpClient(new SmtpClientOptions()).SendAsync("127.0.0.1", server.Port, envelope, message, TestContext.Current.CancellationToken);

        Assert.Equal(250, d.DataReply.Code);
        var t = Assert.Single(server.Received);
        Assert.Equal(envelope.MailParameters, t.Envelope.MailParameters);
        Assert.Equal(envelope.Recipients.Select(r => r.Parameters.ToArray()), t.Envelope.Recipients.Select(r => r.Parameters.ToArray()));
        Assert.Equal(envelope.Xforward.OrderBy(k => k.Key), t.Envelope.Xforward.OrderBy(k => k.Key));
        Assert.Equal(message, t.Message.ToArray());
    }

    [Fact]
    public async Task ClientToServer_Utf8Addresses_SmtpUtf8PassedThrough()
    {
        await using var server = await TestServer.StartAsync();
        var envelope = new SmtpEnvelope("jörg@bücher.example", ["SMTPUTF8", "BODY=8BITMIME"], [new SmtpRecipient("ünal@例え.jp")],
            ImmutableDictionary<string, string>.Empty);
        var message = Encoding.UTF8.GetBytes("Subject: grüße\r\n\r\nvoilà\r\n");

        await new SmtpClient(new SmtpClientOptions()).SendAsync("127.0.0.1", server.Port, envelope, message, TestContext.Current.CancellationToken);

        var t = Assert.Single(server.Received);
        Assert.Equal("jörg@bücher.example", t.Envelope.Sender);
        Assert.Equal("ünal@例え.jp", t.Envelope.Recipients[0].Address);
        Assert.Equal(["BODY=8BITMIME", "SMTPUTF8"], t.Envelope.MailParameters.Order());
        Assert.Equal(message, t.Message.ToArray());
    }
}
