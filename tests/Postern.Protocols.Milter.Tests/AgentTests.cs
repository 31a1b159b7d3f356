using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Protocols.Milter.Agent;
using Postern.Sdk.Messages;
using Postern.Sdk.Scanning;

namespace Postern.Protocols.Milter.Tests;

public sealed class AgentTests
{
    private sealed class Dispatcher(Func<Envelope, ReadOnlyMemory<byte>, MessageDecision> decide) : IMessageDispatcher
    {
        public List<(Envelope Envelope, byte[] Message)> Seen { get; } = [];

        public ValueTask<MessageDecision> SubmitAsync(Envelope envelope, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
        {
            lock (Seen)
            {
                Seen.Add((envelope, message.ToArray()));
            }

            return ValueTask.FromResult(decide(envelope, message));
        }
    }

    private static ScanReport Report(ScanStatus status, string? name = null) =>
        new(status, name is null ? [] : [new Finding(name, "signatures", "part1")], status == ScanStatus.NotScanned ? ["limit"] : [], 1, TimeSpan.Zero);

    private static MessageDecision All(Envelope e, ReadOnlyMemory<byte> message, DecisionAction action, ScanStatus status = ScanStatus.Clean, string reason = "clean", string? name = null) =>
        new(Report(status, name), [.. e.Recipients.Select(r => new RecipientDecision(r, action, reason))], message);

    private static async Task<(List<(char Command, byte[] Data)> Replies, Dispatcher Dispatcher)> RunAsync(
        Func<Envelope, ReadOnlyMemory<byte>, MessageDecision> decide, string[] recipients, HoldQueue hold = HoldQueue.None,
        (string, string)[]? headers = null, string body = "hello\r\n")
    {
        var dispatcher = new Dispatcher(decide);
        MilterEndpoint.TryParse("inet:127.0.0.1:0", "/", out var endpoint, out _);
        await using var agent = new MilterAgent("sendmail", dispatcher, new MilterAgentSettings { Endpoints = [endpoint], Hold = hold }, NullLogger.Instance);
        await agent.StartAsync(CancellationToken.None);
        await using var mta = await MtaClient.ConnectAsync(agent.BoundEndpoints[0]);
        await mta.NegotiateAsync();
        var replies = await mta.SendMessageAsync("s@example.org", recipients,
            headers ?? [("From", " a@example.org"), ("Subject", " hi")], Encoding.ASCII.GetBytes(body));
        return (replies, dispatcher);
    }

    [Fact]
    public async Task Clean_mail_is_submitted_whole_with_the_envelope_and_accepted_unchanged()
    {
        var (replies, dispatcher) = await RunAsync((e, m) => All(e, m, DecisionAction.Accept), ["r@example.net"],
            headers: [("From", " a@example.org"), ("Subject", " folded\n\tline")]);
        Assert.Equal('a', Assert.Single(replies).Command);
        var (envelope, message) = Assert.Single(dispatcher.Seen);
        Assert.Equal("From: a@example.org\r\nSubject: folded\r\n\tline\r\n\r\nhello\r\n", Encoding.ASCII.GetString(message));
        var expected = new Envelope("s@example.org", [], "192.0.2.1", "client.test", "client.test", "QID1", "sendmail");
        Assert.Equal(expected, envelope with { Recipients = [] });
        Assert.Equal(["r@example.net"], envelope.Recipients);
    }

    [Fact]
    public async Task Warm_up_puts_each_message_through_a_session_of_its_own_into_the_given_dispatcher_only()
    {
        // Three at once: a folded header, a body of three 65,535-byte chunks, and one the dispatcher rejects (so the
        // modifications path runs too). The agent's own dispatcher sees nothing and its listener is never started.
        var own = new Dispatcher((e, m) => All(e, m, DecisionAction.Accept));
        var quiet = new Dispatcher((e, m) => Encoding.ASCII.GetString(m.Span).Contains("EICAR", StringComparison.Ordinal)
            ? All(e, m, DecisionAction.Reject, ScanStatus.Infected, "infected: Eicar-Test-Signature", "Eicar-Test-Signature")
            : All(e, m, DecisionAction.Accept));
        MilterEndpoint.TryParse("inet:127.0.0.1:0", "/", out var endpoint, out _);
        await using var agent = new MilterAgent("postfix", own, new MilterAgentSettings { Endpoints = [endpoint] }, NullLogger.Instance);
        var big = new string('x', 70) + "\r\n";
        byte[][] messages =
        [
            Encoding.ASCII.GetBytes("From: a@example.org\r\nSubject: folded\r\n\tline\r\n\r\nhello\r\n"),
            Encoding.ASCII.GetBytes("Subject: big\r\n\r\n" + string.Concat(Enumerable.Repeat(big, 2600))),
            Encoding.ASCII.GetBytes("Subject: test\r\n\r\nEICAR\r\n"),
        ];

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await agent.WarmUpAsync(quiet, [.. messages.Select(m => (ReadOnlyMemory<byte>)m)], timeout.Token);

        Assert.Empty(own.Seen);
        Assert.Empty(agent.BoundEndpoints);
        Assert.Equal(3, quiet.Seen.Count);
        Assert.Equal(messages.Select(Encoding.ASCII.GetString).Order(), quiet.Seen.Select(s => Encoding.ASCII.GetString(s.Message)).Order());
        Assert.All(quiet.Seen, s =>
        {
            Assert.Equal("postern@localhost", s.Envelope.Sender);
            Assert.Equal(["postern@localhost"], s.Envelope.Recipients);
            Assert.Equal("postfix", s.Envelope.Agent);
            Assert.StartsWith("WARMUP", s.Envelope.QueueId, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Warm_up_into_a_failing_dispatcher_completes()
    {
        // The session answers tempfail for a dispatcher that throws; the warm-up has nothing to report beyond that.
        var quiet = new Dispatcher((_, _) => throw new InvalidOperationException("engine down"));
        await using var agent = new MilterAgent("sendmail", quiet, new MilterAgentSettings(), NullLogger.Instance);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await agent.WarmUpAsync(quiet, [Encoding.ASCII.GetBytes("Subject: x\r\n\r\nbody\r\n"), Encoding.ASCII.GetBytes("Subject: y\r\n\r\nbody\r\n")],
            timeout.Token);

        Assert.Equal(2, quiet.Seen.Count);
    }

    [Fact]
    public async Task Infected_mail_is_rejected_at_end_of_message_with_the_detection()
    {
        var (replies, _) = await RunAsync((e, m) => All(e, m, DecisionAction.Reject, ScanStatus.Infected, "infected: Eicar-Test-Signature", "Eicar-Test-Signature"), ["r@example.net"]);
        var (c, data) = Assert.Single(replies);
        Assert.Equal('y', c);
        Assert.Equal("550 5.7.1 Message rejected: infected: Eicar-Test-Signature\0", Encoding.ASCII.GetString(data));
    }

    [Fact]
    public async Task A_deferred_recipient_tempfails_the_whole_message()
    {
        var (replies, _) = await RunAsync((e, m) => new MessageDecision(Report(ScanStatus.NotScanned),
            [new RecipientDecision("a@example.net", DecisionAction.Accept, "x"), new RecipientDecision("b@example.net", DecisionAction.Defer, "not scanned: limit")], m),
            ["a@example.net", "b@example.net"]);
        Assert.StartsWith("451 4.7.1 Message not accepted now (not scanned: limit)", Encoding.ASCII.GetString(Assert.Single(replies).Data), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discard_for_everyone_discards()
    {
        var (replies, _) = await RunAsync((e, m) => All(e, m, DecisionAction.Discard, ScanStatus.Infected, "infected: X", "X"), ["r@example.net"]);
        Assert.Equal('d', Assert.Single(replies).Command);
    }

    [Fact]
    public async Task Differing_recipients_keep_the_accepting_ones_and_delete_the_others()
    {
        var (replies, _) = await RunAsync((e, m) => new MessageDecision(Report(ScanStatus.Infected, "X"),
            [new RecipientDecision("a@example.net", DecisionAction.Accept, "x"), new RecipientDecision("b@example.net", DecisionAction.Reject, "infected: X"),
             new RecipientDecision("c@example.net", DecisionAction.Discard, "infected: X")], m),
            ["a@example.net", "b@example.net", "c@example.net"]);
        Assert.Equal("--a", new string([.. replies.Select(r => r.Command)]));
        Assert.Equal(MtaClient.Z("<b@example.net>"), replies[0].Data);
        Assert.Equal(MtaClient.Z("<c@example.net>"), replies[1].Data);
    }

    [Fact]
    public async Task Marking_becomes_header_modifications_and_the_body_is_left_alone()
    {
        var (replies, _) = await RunAsync((e, m) =>
        {
            var text = Encoding.ASCII.GetString(m.Span).Replace("X-Virus-Status: forged\r\n", "X-Postern-Original-X-Virus-Status: forged\r\n", StringComparison.Ordinal);
            var marked = "X-Virus-Scanned: Postern 0.1\r\nX-Virus-Status: Clean\r\n" + text.Replace("Subject: hi", "Subject: [virus] hi", StringComparison.Ordinal);
            return All(e, Encoding.ASCII.GetBytes(marked), DecisionAction.Accept);
        }, ["r@example.net"], headers: [("From", " a@example.org"), ("X-Virus-Status", " forged"), ("Subject", " hi")]);
        // Changes first, then deletions, then insertions at their final positions.
        Assert.Equal("mmiiia", new string([.. replies.Select(r => r.Command)]));
        Assert.Equal([0, 0, 0, 1, .. MtaClient.Z("Subject", " [virus] hi")], replies[0].Data);
        Assert.Equal([0, 0, 0, 1, .. MtaClient.Z("X-Virus-Status", "")], replies[1].Data);
        Assert.Equal([0, 0, 0, 0, .. MtaClient.Z("X-Virus-Scanned", " Postern 0.1")], replies[2].Data);
        Assert.Equal([0, 0, 0, 1, .. MtaClient.Z("X-Virus-Status", " Clean")], replies[3].Data);
        Assert.Equal([0, 0, 0, 3, .. MtaClient.Z("X-Postern-Original-X-Virus-Status", " forged")], replies[4].Data);
    }

    [Fact]
    public async Task A_two_part_decision_over_the_submitted_body_becomes_header_changes_only()
    {
        // The host's marking shape: a new header block, then the submitted bytes from the empty line on (by reference).
        var (replies, _) = await RunAsync((e, m) =>
        {
            var separator = m.Span.IndexOf("\r\n\r\n"u8) + 2;
            var head = Encoding.ASCII.GetBytes("X-Virus-Scanned: Postern 0.1\r\n" + Encoding.ASCII.GetString(m.Span[..separator]));
            return new MessageDecision(Report(ScanStatus.Clean), [.. e.Recipients.Select(r => new RecipientDecision(r, DecisionAction.Accept, "clean"))],
                head, m[separator..]);
        }, ["r@example.net"], body: new string('x', 200_000) + "\r\n");
        Assert.Equal("ia", new string([.. replies.Select(r => r.Command)]));
        Assert.Equal([0, 0, 0, 0, .. MtaClient.Z("X-Virus-Scanned", " Postern 0.1")], replies[0].Data);
    }

    [Fact]
    public async Task A_two_part_decision_with_another_body_replaces_the_body()
    {
        var (replies, _) = await RunAsync((e, m) => new MessageDecision(Report(ScanStatus.Clean),
            [.. e.Recipients.Select(r => new RecipientDecision(r, DecisionAction.Accept, "clean"))],
            "From: a@example.org\r\nSubject: hi\r\n"u8.ToArray(), "\r\nnew body\r\n"u8.ToArray()), ["r@example.net"]);
        Assert.Equal("ba", new string([.. replies.Select(r => r.Command)]));
        Assert.Equal("new body\r\n", Encoding.ASCII.GetString(replies[0].Data));
    }

    [Fact]
    public async Task Cleaning_changes_the_MIME_headers_and_replaces_the_body()
    {
        var (replies, _) = await RunAsync((e, m) => All(e,
            "From: a@example.org\r\nSubject: hi\r\nContent-Type: text/plain\r\n\r\nThe attachment was removed.\r\n"u8.ToArray(),
            DecisionAction.Accept, ScanStatus.Clean), ["r@example.net"],
            headers: [("From", " a@example.org"), ("Subject", " hi"), ("Content-Type", " multipart/mixed; boundary=b")], body: "--b\r\nEICAR\r\n--b--\r\n");
        Assert.Equal("mba", new string([.. replies.Select(r => r.Command)]));
        Assert.Equal([0, 0, 0, 1, .. MtaClient.Z("Content-Type", " text/plain")], replies[0].Data);
        Assert.Equal("The attachment was removed.\r\n", Encoding.ASCII.GetString(replies[1].Data));
    }

    [Fact]
    public async Task The_hold_setting_puts_accepted_infected_mail_in_the_MTA_hold_queue()
    {
        var (replies, _) = await RunAsync((e, m) => All(e, m, DecisionAction.Accept, ScanStatus.Infected, "infected: Eicar-Test-Signature", "Eicar-Test-Signature"),
            ["r@example.net"], hold: HoldQueue.Infected);
        Assert.Equal("qa", new string([.. replies.Select(r => r.Command)]));
        Assert.Equal(MtaClient.Z("Postern: infected (Eicar-Test-Signature)"), replies[0].Data);

        var (clean, _) = await RunAsync((e, m) => All(e, m, DecisionAction.Accept), ["r@example.net"], hold: HoldQueue.Infected);
        Assert.Equal("a", new string([.. clean.Select(r => r.Command)]));

        var (discarded, _) = await RunAsync((e, m) => All(e, m, DecisionAction.Discard, ScanStatus.Infected, "infected: X", "X"), ["r@example.net"], hold: HoldQueue.Infected | HoldQueue.NotScanned);
        Assert.Equal("qa", new string([.. discarded.Select(r => r.Command)]));
    }

    [Fact]
    public async Task A_dispatcher_that_throws_gets_tempfail_not_accept()
    {
        var (replies, _) = await RunAsync((_, _) => throw new InvalidOperationException("engine crashed"), ["r@example.net"]);
        Assert.StartsWith("451 4.7.1", Encoding.ASCII.GetString(Assert.Single(replies).Data), StringComparison.Ordinal);
    }

    [Fact]
    public void Header_diff_deletes_from_the_highest_occurrence_down()
    {
        List<MilterHeader> received = [new("X-A", " 1"), new("X-A", " 2"), new("X-A", " 3"), new("B", " b")];
        List<MilterHeader> wanted = [new("B", " b")];
        var mods = HeaderDiff.Diff(received, wanted);
        Assert.Equal([new ChangeHeader(3, "X-A", ""), new ChangeHeader(2, "X-A", ""), new ChangeHeader(1, "X-A", "")], mods);
    }

    [Fact]
    public void Header_parse_round_trips_the_milter_form()
    {
        var raw = "A: 1\r\nB:two\r\n\tthree\r\nC: \r\n\r\nbody"u8.ToArray();
        var (headers, offset) = HeaderDiff.Parse(raw, leadingSpace: true);
        Assert.Equal([new("A", " 1"), new("B", "two\n\tthree"), new("C", " ")], headers);
        Assert.Equal("body", Encoding.ASCII.GetString(raw[offset..]));
        using var back = new MemoryStream();
        HeaderDiff.Write(back, headers, leadingSpace: true);
        Assert.Equal("A: 1\r\nB:two\r\n\tthree\r\nC: \r\n", Encoding.ASCII.GetString(back.ToArray()));
    }
}
