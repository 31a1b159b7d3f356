using System.Text;
using Microsoft.Extensions.Logging.Abstractions;

namespace Postern.Protocols.Milter.Tests;

public sealed class SessionTests
{
    internal sealed record Seen(string Sender, List<string> Recipients, List<MilterHeader> Headers, byte[] Body, string? QueueId,
        string? DaemonName, MilterConnectInfo? Connect, string? Helo, bool LeadingSpace);

    internal sealed class Handler(Func<MilterMessage, CancellationToken, Task<MilterResult>> decide) : IMilterHandler
    {
        public List<Seen> Messages { get; } = [];

        public async ValueTask<MilterResult> EndOfMessageAsync(MilterMessage message, CancellationToken cancellationToken)
        {
            var body = new byte[message.Body.Length];
            message.Body.CopyTo(body);
            lock (Messages)
            {
                Messages.Add(new Seen(message.Sender, [.. message.RecipientArgs.Select(r => r[0])], [.. message.Headers], body,
                    message.Macro("i"), message.Macro("{daemon_name}"), message.Connect, message.Helo, message.HeaderLeadingSpace));
            }

            return await decide(message, cancellationToken);
        }
    }

    internal static async Task<MilterListener> StartAsync(IMilterHandler handler, MilterOptions? options = null, int maxConnections = 50, string? spec = null)
    {
        MilterEndpoint.TryParse(spec ?? "inet:127.0.0.1:0", Path.GetTempPath(), out var endpoint, out _);
        var listener = new MilterListener([endpoint], handler, options ?? new MilterOptions(), NullLogger.Instance, maxConnections);
        await listener.StartAsync(CancellationToken.None);
        return listener;
    }

    internal static readonly (string, string)[] Headers = [("From", " a@example.org"), ("Subject", " hello\n\tfolded"), ("X-Empty", "")];

    [Fact]
    public async Task Negotiation_answers_version_6_with_only_offered_bits_and_the_no_reply_steps()
    {
        var handler = new Handler((_, _) => Task.FromResult(MilterResult.Of(MilterReply.Accept)));
        await using var listener = await StartAsync(handler);
        await using var mta = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
        await mta.NegotiateAsync(actions: 0x3F, steps: 0x1FFFFF, version: 6);
        Assert.Equal(0x3Bu, mta.Actions); // add/change headers, body, delrcpt, quarantine; no addrcpt
        // No replies to the steps it does not answer; DATA and end of headers (SMFIP_NODATA, SMFIP_NOEOH) not sent at all.
        Assert.Equal(0x1000u | 0x2000 | 0x4000 | 0x8000 | 0x10000 | 0x20000 | 0x40000 | 0x80000 | 0x80 | 0x100 | 0x100000 | 0x200 | 0x40, mta.Steps);

        await using var old = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
        await old.NegotiateAsync(actions: 0x0F, steps: 0x7F, version: 2);
        Assert.Equal(0x0Bu, old.Actions);
        Assert.Equal(0x40u, old.Steps); // of the steps a version 2 MTA knows, only SMFIP_NOEOH
    }

    [Fact]
    public async Task Golden_negotiation_bytes()
    {
        var handler = new Handler((_, _) => Task.FromResult(MilterResult.Of(MilterReply.Accept)));
        await using var listener = await StartAsync(handler);
        await using var mta = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
        // Postfix 3.7 offering every action and step, as captured from milter8.c's constants.
        await mta.SendRawAsync([0, 0, 0, 13, (byte)'O', 0, 0, 0, 6, 0, 0, 0x01, 0xFF, 0, 0x1F, 0xFF, 0xFF]);
        var (c, data) = await mta.ExpectAsync();
        Assert.Equal('O', c);
        Assert.Equal(new byte[] { 0, 0, 0, 6, 0, 0, 0, 0x3B, 0, 0x1F, 0xF3, 0xC0 }, data);
    }

    [Fact]
    public async Task A_whole_transaction_reaches_the_handler_and_the_final_reply_comes_back()
    {
        var handler = new Handler((_, _) => Task.FromResult(MilterResult.Of(MilterReply.Accept)));
        await using var listener = await StartAsync(handler);
        await using var mta = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
        await mta.NegotiateAsync();
        var body = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("line of body text\r\n", 10000)));
        var replies = await mta.SendMessageAsync("s@example.org", ["r1@example.net", "r2@example.net"], Headers, body);
        Assert.Equal('a', Assert.Single(replies).Command);

        var seen = Assert.Single(handler.Messages);
        Assert.Equal("s@example.org", seen.Sender);
        Assert.Equal(["<r1@example.net>", "<r2@example.net>"], seen.Recipients);
        Assert.Equal(body, seen.Body);
        Assert.Equal("QID1", seen.QueueId);
        Assert.Equal("test", seen.DaemonName);
        Assert.Equal(new MilterConnectInfo("client.test", '4', 40000, "192.0.2.1"), seen.Connect);
        Assert.Equal("client.test", seen.Helo);
        Assert.True(seen.LeadingSpace);
        Assert.Equal([new("From", " a@example.org"), new("Subject", " hello\n\tfolded"), new("X-Empty", "")], seen.Headers);

        // A second message on the same connection (Postfix keeps it open) starts clean.
        var again = await mta.SendMessageAsync("t@example.org", ["r3@example.net"], [("Subject", " two")], "b\r\n"u8.ToArray(), connect: false);
        Assert.Equal('a', Assert.Single(again).Command);
        Assert.Equal(["<r3@example.net>"], handler.Messages[1].Recipients);
        Assert.Equal("b\r\n"u8.ToArray(), handler.Messages[1].Body);
    }

    [Fact]
    public async Task An_MTA_without_no_reply_steps_gets_continue_for_each_step()
    {
        var handler = new Handler((_, _) => Task.FromResult(MilterResult.Of(MilterReply.Accept)));
        await using var listener = await StartAsync(handler);
        await using var mta = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
        await mta.NegotiateAsync(steps: 0x7F);
        Assert.Equal(0x40u, mta.Steps); // SMFIP_NOEOH only
        var replies = await mta.SendMessageAsync("s@example.org", ["r@example.net"], Headers, "x\r\n"u8.ToArray());
        Assert.Equal('a', Assert.Single(replies).Command);
        Assert.Equal([new("From", "a@example.org"), new("Subject", "hello\n\tfolded"), new("X-Empty", "")],
            [.. handler.Messages[0].Headers.Select(h => h with { Value = h.Value.TrimStart(' ') })]);
    }

    [Fact]
    public async Task Modifications_go_out_in_order_and_a_long_body_is_cut_into_chunks()
    {
        var newBody = new byte[150_000];
        Random.Shared.NextBytes(newBody);
        var handler = new Handler((_, _) => Task.FromResult(new MilterResult(
            [new InsertHeader(0, "X-A", " 1"), new ChangeHeader(1, "Subject", " new"), new AddHeader("X-B", " 2"),
             new ReplaceBody(newBody), new DeleteRecipient("<r2@example.net>"), new QuarantineMessage("held")],
            MilterReply.Accept)));
        await using var listener = await StartAsync(handler);
        await using var mta = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
        await mta.NegotiateAsync();
        var replies = await mta.SendMessageAsync("s@example.org", ["r1@example.net", "r2@example.net"], Headers, "x\r\n"u8.ToArray());
        Assert.Equal("imhbbb-qa", new string([.. replies.Select(r => r.Command)]));
        Assert.Equal([0, 0, 0, 0, .. MtaClient.Z("X-A", " 1")], replies[0].Data);
        Assert.Equal([0, 0, 0, 1, .. MtaClient.Z("Subject", " new")], replies[1].Data);
        Assert.Equal(MtaClient.Z("X-B", " 2"), replies[2].Data);
        Assert.Equal(65535, replies[3].Data.Length);
        Assert.Equal(newBody, replies[3].Data.Concat(replies[4].Data).Concat(replies[5].Data).ToArray());
        Assert.Equal(MtaClient.Z("<r2@example.net>"), replies[6].Data);
        Assert.Equal(MtaClient.Z("held"), replies[7].Data);
    }

    [Fact]
    public async Task Envelope_modifications_when_asked_for_and_granted()
    {
        var handler = new Handler((_, _) => Task.FromResult(new MilterResult(
            [new ChangeFrom("<new@example.org>"), new AddRecipient("<x@example.net>"), new AddRecipientWithArgs("<y@example.net>", "NOTIFY=NEVER")],
            MilterReply.Continue)));
        var all = new MilterOptions { Actions = MilterActions.ChangeFrom | MilterActions.AddRecipient | MilterActions.AddRecipientWithArgs };
        await using var listener = await StartAsync(handler, all);
        await using var mta = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
        await mta.NegotiateAsync();
        Assert.Equal(0xC4u, mta.Actions);
        var replies = await mta.SendMessageAsync("s@example.org", ["r@example.net"], Headers, "x\r\n"u8.ToArray());
        Assert.Equal("e+2c", new string([.. replies.Select(r => r.Command)]));
        Assert.Equal(MtaClient.Z("<y@example.net>", "NOTIFY=NEVER"), replies[2].Data);
    }

    [Fact]
    public async Task Modifications_the_MTA_did_not_grant_become_tempfail_and_nothing_partial_is_sent()
    {
        var handler = new Handler((_, _) => Task.FromResult(new MilterResult(
            [new AddHeader("X-A", " 1"), new ReplaceBody("clean\r\n"u8.ToArray())], MilterReply.Accept)));
        await using var listener = await StartAsync(handler);
        await using var mta = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
        await mta.NegotiateAsync(actions: 0x01);
        var replies = await mta.SendMessageAsync("s@example.org", ["r@example.net"], Headers, "x\r\n"u8.ToArray());
        var (c, data) = Assert.Single(replies);
        Assert.Equal('y', c);
        Assert.StartsWith("451 4.7.1", Encoding.ASCII.GetString(data), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_handler_keeps_the_MTA_waiting_with_progress_and_a_hung_one_gets_tempfail()
    {
        var options = new MilterOptions { ProgressInterval = TimeSpan.FromMilliseconds(100), MessageTimeout = TimeSpan.FromSeconds(2) };
        var slow = new Handler(async (_, ct) =>
        {
            await Task.Delay(450, ct);
            return MilterResult.Of(MilterReply.Accept);
        });
        await using (var listener = await StartAsync(slow, options))
        {
            await using var mta = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
            await mta.NegotiateAsync();
            var replies = await mta.SendMessageAsync("s@example.org", ["r@example.net"], Headers, "x\r\n"u8.ToArray());
            Assert.Equal('a', replies[^1].Command);
            Assert.InRange(replies.Count(r => r.Command == 'p'), 2, 60);
        }

        var hung = new Handler(async (_, _) =>
        {
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
            return MilterResult.Of(MilterReply.Accept);
        });
        await using (var listener = await StartAsync(hung, options))
        {
            await using var mta = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
            await mta.NegotiateAsync();
            var replies = await mta.SendMessageAsync("s@example.org", ["r@example.net"], Headers, "x\r\n"u8.ToArray());
            Assert.Equal('y', replies[^1].Command);
            Assert.StartsWith("451 4.7.1", Encoding.ASCII.GetString(replies[^1].Data), StringComparison.Ordinal);
            Assert.All(replies[..^1], r => Assert.Equal('p', r.Command));
        }
    }

    [Fact]
    public async Task A_throwing_handler_answers_tempfail_and_the_connection_goes_on()
    {
        var calls = 0;
        var handler = new Handler((_, _) => Interlocked.Increment(ref calls) == 1
            ? throw new InvalidOperationException("boom")
            : Task.FromResult(MilterResult.Of(MilterReply.Accept)));
        await using var listener = await StartAsync(handler);
        await using var mta = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
        await mta.NegotiateAsync();
        var first = await mta.SendMessageAsync("s@example.org", ["r@example.net"], Headers, "x\r\n"u8.ToArray());
        Assert.Equal('y', Assert.Single(first).Command);
        var second = await mta.SendMessageAsync("s@example.org", ["r@example.net"], Headers, "x\r\n"u8.ToArray(), connect: false);
        Assert.Equal('a', Assert.Single(second).Command);
    }

    [Fact]
    public async Task A_body_past_the_limit_is_refused_with_tempfail_and_never_reaches_the_handler()
    {
        var handler = new Handler((_, _) => Task.FromResult(MilterResult.Of(MilterReply.Accept)));
        await using var listener = await StartAsync(handler, new MilterOptions { MaxMessageSize = 100_000 });
        await using var mta = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
        await mta.NegotiateAsync();
        var replies = await mta.SendMessageAsync("s@example.org", ["r@example.net"], Headers, new byte[100_001]);
        Assert.Equal('y', Assert.Single(replies).Command);
        Assert.StartsWith("452 4.3.4", Encoding.ASCII.GetString(replies[0].Data), StringComparison.Ordinal);
        Assert.Empty(handler.Messages);

        var fits = await mta.SendMessageAsync("s@example.org", ["r@example.net"], Headers, new byte[100_000], connect: false);
        Assert.Equal('a', Assert.Single(fits).Command);
    }

    [Fact]
    public async Task Too_many_headers_are_refused_with_tempfail()
    {
        var handler = new Handler((_, _) => Task.FromResult(MilterResult.Of(MilterReply.Accept)));
        await using var listener = await StartAsync(handler, new MilterOptions { MaxHeaders = 10 });
        await using var mta = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
        await mta.NegotiateAsync();
        var many = Enumerable.Range(0, 11).Select(i => ("X-N", $" {i}")).ToArray();
        var replies = await mta.SendMessageAsync("s@example.org", ["r@example.net"], many, "x\r\n"u8.ToArray());
        Assert.StartsWith("452 4.3.4", Encoding.ASCII.GetString(Assert.Single(replies).Data), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0 })]                              // no command letter
    [InlineData(new byte[] { 0, 1, 0, 1, (byte)'B' })]                     // longer than 65,536
    [InlineData(new byte[] { 0x7F, 0xFF, 0xFF, 0xFF, (byte)'B', 1, 2 })]   // absurd length
    [InlineData(new byte[] { 0, 0, 0, 10, (byte)'L', (byte)'a' })]         // truncated, then EOF
    [InlineData(new byte[] { 0, 0, 0, 1, (byte)'Z' })]                     // unknown command
    [InlineData(new byte[] { 0, 0, 0, 3, (byte)'C', (byte)'h', 0 })]        // connect without family
    [InlineData(new byte[] { 0, 0, 0, 3, (byte)'M', (byte)'<', (byte)'>' })] // sender not NUL-terminated
    public async Task A_malformed_packet_closes_that_connection_and_the_listener_goes_on(byte[] bad)
    {
        var handler = new Handler((_, _) => Task.FromResult(MilterResult.Of(MilterReply.Accept)));
        await using var listener = await StartAsync(handler);
        await using (var mta = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]))
        {
            await mta.NegotiateAsync();
            await mta.SendRawAsync(bad);
            mta.ShutdownSend();
            Assert.Null(await mta.ReadAsync(TimeSpan.FromSeconds(10)));
        }

        await using var good = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
        await good.NegotiateAsync();
        Assert.Equal('a', Assert.Single(await good.SendMessageAsync("s@example.org", ["r@example.net"], Headers, "x\r\n"u8.ToArray())).Command);
    }

    [Fact]
    public async Task Stopping_lets_the_message_under_way_finish_then_closes_the_connection()
    {
        var handler = new Handler((_, _) => Task.FromResult(MilterResult.Of(MilterReply.Accept)));
        var listener = await StartAsync(handler);
        await using var mta = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
        await mta.NegotiateAsync(steps: MtaClient.AllSteps & ~0x4000u);
        await mta.SendAsync('M', MtaClient.Z("<s@example.org>"));
        Assert.Equal('c', (await mta.ExpectAsync()).Command); // MAIL is under way on the filter's side
        await mta.SendAsync('R', MtaClient.Z("<r@example.net>"));
        var stopping = listener.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        await Task.Delay(300);
        Assert.False(stopping.IsCompleted);
        await mta.SendAsync('L', MtaClient.Z("Subject", " late"));
        await mta.SendAsync('B', "body\r\n"u8.ToArray());
        await mta.SendAsync('E', []);
        Assert.Equal('a', (await mta.ExpectAsync()).Command);
        Assert.Null(await mta.ReadAsync(TimeSpan.FromSeconds(10)));
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("body\r\n"u8.ToArray(), Assert.Single(handler.Messages).Body);
        await listener.DisposeAsync();
    }

    [Fact]
    public async Task A_command_before_negotiation_closes_the_connection()
    {
        var handler = new Handler((_, _) => Task.FromResult(MilterResult.Of(MilterReply.Accept)));
        await using var listener = await StartAsync(handler);
        await using var mta = await MtaClient.ConnectAsync(listener.BoundEndpoints[0]);
        await mta.SendAsync('H', MtaClient.Z("x"));
        Assert.Null(await mta.ReadAsync(TimeSpan.FromSeconds(10)));
    }
}
