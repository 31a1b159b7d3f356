using System.Net.Sockets;
using System.Text;
using Postern.Protocols.Local;
using Postern.Sdk.Messages;
using Postern.Sdk.Scanning;

namespace Postern.Mda.Tests;

/// <summary>The local submission protocol's codec and its client/server pair over a real unix socket.</summary>
public sealed class LocalProtocolTests : IDisposable
{
    private readonly Scratch scratch = new();

    public void Dispose() => scratch.Dispose();

    private static readonly Envelope SampleEnvelope = new("s@example.org", ["a@example.net", "b@example.net"], "192.0.2.1", "mx.example.org", "helo", "Q1", "qmail");

    private static readonly LocalDecision SampleDecision = new(
        new ScanReport(ScanStatus.Infected, [new Finding("Eicar-Test-Signature", "signatures", "part2[a.zip]/eicar.com")], ["b.zip: encrypted"], 7, TimeSpan.FromMilliseconds(12)),
        [new RecipientDecision("a@example.net", DecisionAction.Reject, "infected: Eicar-Test-Signature"), new RecipientDecision("b@example.net", DecisionAction.Accept, "whitelisted")],
        123);

    [Fact]
    public void SubmissionAndDecision_RoundTrip()
    {
        var s = LocalSubmission.Decode(new LocalSubmission(SampleEnvelope, 42).Encode().ToArray());
        Assert.Equal(42, s.MessageLength);
        Assert.Equal(SampleEnvelope with { Recipients = [] }, s.Envelope with { Recipients = [] });
        Assert.Equal(SampleEnvelope.Recipients, s.Envelope.Recipients);

        var d = LocalDecision.Decode(SampleDecision.Encode().ToArray());
        Assert.Equal(123, d.ChangedLength);
        Assert.Equal(SampleDecision.Recipients, d.Recipients);
        Assert.Equal(SampleDecision.Report.Findings, d.Report.Findings);
        Assert.Equal(SampleDecision.Report.NotScannedReasons, d.Report.NotScannedReasons);
        Assert.Equal((ScanStatus.Infected, 7), (d.Report.Status, d.Report.ItemCount));
        Assert.Equal(DecisionAction.Reject, d.Strictest);
    }

    [Fact]
    public void EveryTruncationAndEveryFlippedByte_IsAProtocolErrorOrAValue_NeverAnotherException()
    {
        var first = new LocalSubmission(SampleEnvelope, 42).Encode().ToArray();
        foreach (var payload in new[] { first, SampleDecision.Encode().ToArray() })
        {
            var isSubmission = ReferenceEquals(payload, first);
            for (var n = 0; n < payload.Length; n++)
            {
                Assert.Throws<LocalProtocolException>(() => Decode(payload[..n], isSubmission));
            }

            for (var i = 0; i < payload.Length; i++)
            {
                var copy = (byte[])payload.Clone();
                copy[i] ^= 0xA5;
                try
                {
                    Decode(copy, isSubmission);
                }
                catch (LocalProtocolException)
                {
                    // Refused: fine.
                }
            }
        }
    }

    private static object Decode(byte[] payload, bool submission) =>
        submission ? LocalSubmission.Decode(payload) : LocalDecision.Decode(payload);

    [Fact]
    public async Task ClientAndServer_ExchangeAChangedMessage_AndAnUnchangedOneIsNotSentBack()
    {
        var path = scratch.File_("t.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(4);
        var dispatcher = new MarkingDispatcher();
        var server = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                using var c = await listener.AcceptAsync(TestContext.Current.CancellationToken);
                await using var stream = new NetworkStream(c, ownsSocket: false);
                await new LocalServerSession().ServeAsync(stream, dispatcher, TestContext.Current.CancellationToken);
            }
        }, TestContext.Current.CancellationToken);

        var client = new LocalClient(path);
        var message = Messages.Large(300_000);
        using var changed = new MemoryStream();
        var d = await client.SubmitAsync(SampleEnvelope, new MemoryStream(message), message.Length, changed, TestContext.Current.CancellationToken);
        Assert.Equal(changed.Length, d.ChangedLength);
        Assert.Equal([.. "X-Test: marked\n"u8, .. message], changed.ToArray());
        Assert.Equal(SampleEnvelope.Recipients, dispatcher.Seen!.Recipients);
        Assert.Equal("qmail", dispatcher.Seen.Agent);

        dispatcher.Mark = false;
        using var unchanged = new MemoryStream();
        d = await client.SubmitAsync(SampleEnvelope, new MemoryStream(message), message.Length, unchanged, TestContext.Current.CancellationToken);
        Assert.Equal(-1, d.ChangedLength);
        Assert.Equal(0, unchanged.Length);
        await server;
    }

    [Fact]
    public async Task NoDaemon_IsUnavailable_SoTheCallerMayScanItself()
    {
        var client = new LocalClient(scratch.File_("none.sock"));
        await Assert.ThrowsAsync<LocalUnavailableException>(() =>
            client.SubmitAsync(SampleEnvelope, new MemoryStream([1, 2, 3]), 3, new MemoryStream(), TestContext.Current.CancellationToken));
    }

    private sealed class MarkingDispatcher : IMessageDispatcher
    {
        public bool Mark { get; set; } = true;

        public Envelope? Seen { get; private set; }

        public ValueTask<MessageDecision> SubmitAsync(Envelope envelope, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
        {
            Seen = envelope;
            var report = new ScanReport(ScanStatus.Clean, [], [], 1, TimeSpan.Zero);
            ReadOnlyMemory<byte> decided = Mark ? Encoding.ASCII.GetBytes("X-Test: marked\n").Concat(message.ToArray()).ToArray() : message;
            return ValueTask.FromResult(new MessageDecision(report, [.. envelope.Recipients.Select(r => new RecipientDecision(r, DecisionAction.Accept, "clean"))], decided));
        }
    }
}
