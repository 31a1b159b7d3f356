using System.Collections.Immutable;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Protocols.Smtp;
using Postern.Sdk.Messages;
using Postern.Testing;

namespace Postern.Plugins.Mta.Postfix.Tests;

/// <summary>How per-recipient decisions fold into the one reply per message, against a real reinjection listener
/// (the recording sink). The dispatcher is a scripted one: these tests are about the folding, not the policy.</summary>
public sealed class FilterHandlerTests
{
    private static readonly byte[] Message = Mail.Bytes("Subject: x\n\nbody\n");

    private static SmtpTransaction Transaction(params string[] recipients) => new(
        new SmtpEnvelope("a@test.example", ["RET=HDRS"], [.. recipients.Select(r => new SmtpRecipient(r, ["NOTIFY=FAILURE"]))],
            new Dictionary<string, string> { ["IDENT"] = "4AbCdE", ["ADDR"] = "192.0.2.9", ["NAME"] = "mx.example" }.ToImmutableDictionary()),
        "mta.test", null, Message, false);

    private static FilterHandler Handler(Func<Envelope, MessageDecision> decide, int reinjectPort, TimeSpan? timeout = null) =>
        new(new ScriptedDispatcher(decide), new PostfixAgentOptions
        {
            Reinject = new IPEndPoint(IPAddress.Loopback, reinjectPort),
            MessageTimeout = timeout ?? TimeSpan.FromSeconds(30),
        }, NullLogger<FilterHandler>.Instance, TimeProvider.System);

    private static MessageDecision Decide(Envelope e, params DecisionAction[] actions) =>
        new(new ScanReport(ScanStatus.Clean, [], [], 1, TimeSpan.Zero),
            [.. e.Recipients.Select((r, i) => new RecipientDecision(r, actions[i], actions[i] == DecisionAction.Reject ? "infected (Eicar-Test-Signature)" : "test"))],
            Mail.Bytes("X-Virus-Status: Clean\nSubject: x\n\nbody\n"));

    [Fact]
    public async Task AllAccepted_ReinjectsTheDecidedCopyWithEnvelope_ThenAnswers250()
    {
        await using var next = new RecordingSmtpSink();
        Envelope? seen = null;

        var reply = await Handler(e => Decide(seen = e, DecisionAction.Accept, DecisionAction.Accept), next.Port)
            .HandleAsync(Transaction("b@x", "c@x"), TestContext.Current.CancellationToken);

        Assert.Equal(250, reply.Code);
        var m = Assert.Single(next.Messages);
        Assert.Equal(["b@x", "c@x"], m.Recipients);
        Assert.Equal("RET=HDRS", m.MailParameters);
        Assert.Equal(["NOTIFY=FAILURE", "NOTIFY=FAILURE"], m.RecipientParameters);
        Assert.Equal("4AbCdE", m.Xforward["IDENT"]);
        Assert.StartsWith("X-Virus-Status: Clean", m.Text, StringComparison.Ordinal);
        Assert.Equal(("postfix", "4AbCdE", "192.0.2.9", "mx.example"), (seen!.Agent, seen.QueueId, seen.ClientAddress, seen.ClientName));
    }

    [Fact]
    public async Task DiscardAndAccept_ReinjectsToTheAcceptedOnly()
    {
        await using var next = new RecordingSmtpSink();

        var reply = await Handler(e => Decide(e, DecisionAction.Discard, DecisionAction.Accept), next.Port)
            .HandleAsync(Transaction("b@x", "c@x"), TestContext.Current.CancellationToken);

        Assert.Equal(250, reply.Code);
        Assert.Equal(["c@x"], Assert.Single(next.Messages).Recipients);
    }

    [Fact]
    public async Task AllDiscarded_250AndNothingReinjected()
    {
        await using var next = new RecordingSmtpSink();

        var reply = await Handler(e => Decide(e, DecisionAction.Discard), next.Port).HandleAsync(Transaction("b@x"), TestContext.Current.CancellationToken);

        Assert.Equal(250, reply.Code);
        Assert.Contains("discarded", reply.Text, StringComparison.Ordinal);
        Assert.Empty(next.Messages);
    }

    [Fact]
    public async Task RejectAndAccept_550ForTheWholeMessage_NothingReinjected()
    {
        await using var next = new RecordingSmtpSink();

        var reply = await Handler(e => Decide(e, DecisionAction.Accept, DecisionAction.Reject), next.Port)
            .HandleAsync(Transaction("b@x", "c@x"), TestContext.Current.CancellationToken);

        Assert.Equal(550, reply.Code);
        Assert.Contains("Eicar-Test-Signature", reply.Text, StringComparison.Ordinal);
        Assert.Empty(next.Messages);
    }

    [Fact]
    public async Task DeferBeatsReject_451()
    {
        await using var next = new RecordingSmtpSink();

        var reply = await Handler(e => Decide(e, DecisionAction.Reject, DecisionAction.Defer), next.Port)
            .HandleAsync(Transaction("b@x", "c@x"), TestContext.Current.CancellationToken);

        Assert.Equal(451, reply.Code);
        Assert.Empty(next.Messages);
    }

    [Fact]
    public async Task ReinjectionPortClosed_451()
    {
        int port;
        await using (var gone = new RecordingSmtpSink())
        {
            port = gone.Port;
        }

        var reply = await Handler(e => Decide(e, DecisionAction.Accept), port).HandleAsync(Transaction("b@x"), TestContext.Current.CancellationToken);

        Assert.Equal(451, reply.Code);
        Assert.Contains("reinjection failed", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReinjectionRefusesOneRecipient_451AndNoPartialDelivery()
    {
        await using var next = new RecordingSmtpSink { RecipientReply = r => r == "c@x" ? 450 : 250 };

        var reply = await Handler(e => Decide(e, DecisionAction.Accept, DecisionAction.Accept), next.Port)
            .HandleAsync(Transaction("b@x", "c@x"), TestContext.Current.CancellationToken);

        Assert.Equal(451, reply.Code);
        Assert.Empty(next.Messages);
    }

    [Fact]
    public async Task ReinjectionRefusesTheData_451EvenFor5xx()
    {
        await using var next = new RecordingSmtpSink { DataReply = _ => 554 };

        var reply = await Handler(e => Decide(e, DecisionAction.Accept), next.Port).HandleAsync(Transaction("b@x"), TestContext.Current.CancellationToken);

        Assert.Equal(451, reply.Code);
    }

    [Fact]
    public async Task DispatcherThrows_451()
    {
        await using var next = new RecordingSmtpSink();

        var reply = await Handler(_ => throw new IOException("disk full"), next.Port).HandleAsync(Transaction("b@x"), TestContext.Current.CancellationToken);

        Assert.Equal(451, reply.Code);
        Assert.Empty(next.Messages);
    }

    [Fact]
    public async Task DispatcherOutlivesTheMessageTimeout_451()
    {
        await using var next = new RecordingSmtpSink();
        var slow = new FilterHandler(new ScriptedDispatcher(_ => throw new InvalidOperationException("unused")) { Delay = TimeSpan.FromSeconds(30) },
            new PostfixAgentOptions { Reinject = new IPEndPoint(IPAddress.Loopback, next.Port), MessageTimeout = TimeSpan.FromMilliseconds(300) },
            NullLogger<FilterHandler>.Instance, TimeProvider.System);

        var reply = await slow.HandleAsync(Transaction("b@x"), TestContext.Current.CancellationToken);

        Assert.Equal(451, reply.Code);
        Assert.Contains("not finished within", reply.Text, StringComparison.Ordinal);
    }

    private sealed class ScriptedDispatcher(Func<Envelope, MessageDecision> decide) : IMessageDispatcher
    {
        public TimeSpan Delay { get; init; }

        public async ValueTask<MessageDecision> SubmitAsync(Envelope envelope, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
        {
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, cancellationToken);
            }

            return decide(envelope);
        }
    }
}
