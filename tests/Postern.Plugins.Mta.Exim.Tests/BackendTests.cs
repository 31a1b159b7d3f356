using Postern.Protocols.Clamd;
using Postern.Sdk.Messages;
using Postern.Sdk.Scanning;

namespace Postern.Plugins.Mta.Exim.Tests;

/// <summary>Which path a clamd request takes in the exim agent, and what reaches the policy.</summary>
public sealed class BackendTests
{
    private sealed class Recorder : IMessageDispatcher, IMessageScanner
    {
        public List<Envelope> Submitted { get; } = [];

        public List<ScanRequest> Scanned { get; } = [];

        public Func<Envelope, MessageDecision>? Decide { get; set; }

        public ValueTask<MessageDecision> SubmitAsync(Envelope envelope, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
        {
            Submitted.Add(envelope);
            return ValueTask.FromResult(Decide!(envelope));
        }

        public ValueTask<ScanReport> ScanAsync(ScanRequest request, CancellationToken cancellationToken)
        {
            Scanned.Add(request);
            return ValueTask.FromResult(new ScanReport(ScanStatus.Clean, [], [], 1, TimeSpan.Zero));
        }
    }

    private static readonly byte[] Mail = "Received: from x\r\nSubject: y\r\n\r\nbody\r\n"u8.ToArray();

    [Fact]
    public async Task EximsSpoolFileGoesThroughThePolicyAsAgentEximWithItsMessageId()
    {
        var r = new Recorder
        {
            Decide = _ => new MessageDecision(
                new ScanReport(ScanStatus.Infected, [new Finding("Eicar-Test-Signature", "signatures", "")], [], 1, TimeSpan.Zero),
                [new RecipientDecision("", DecisionAction.Reject, "infected")], Mail),
        };
        var backend = new EximBackend(r, r);

        var report = await backend.ScanAsync(
            new ClamdScanRequest(Mail, "/var/spool/exim4/scan/1xXPqW-0003J8-2V/1xXPqW-0003J8-2V.eml", ClamdSource.File,
                "/var/spool/exim4/scan/1xXPqW-0003J8-2V/1xXPqW-0003J8-2V.eml"), TestContext.Current.CancellationToken);

        Assert.Equal(ScanStatus.Infected, report.Status);
        var e = Assert.Single(r.Submitted);
        Assert.Equal("exim", e.Agent);
        Assert.Equal("1xXPqW-0003J8-2V", e.QueueId);
        Assert.Empty(e.Recipients);
        Assert.Empty(r.Scanned);
    }

    [Fact]
    public async Task OtherContentIsScannedPlainlyAsClamdWould()
    {
        var r = new Recorder();
        var report = await new EximBackend(r, r).ScanAsync(new ClamdScanRequest("PK\u0003\u0004..."u8.ToArray(), "stream", ClamdSource.Stream), TestContext.Current.CancellationToken);
        Assert.Equal(ScanStatus.Clean, report.Status);
        Assert.Empty(r.Submitted);
        Assert.Null(Assert.Single(r.Scanned).IsMessage);
    }

    [Fact]
    public async Task ActionAvAcceptPassesButAnyOtherUnscannedDecisionStaysNotScanned()
    {
        static MessageDecision Gate(DecisionAction action) => new(
            new ScanReport(ScanStatus.NotScanned, [], ["not scanned: decided by action_av"], 0, TimeSpan.Zero),
            [new RecipientDecision("", action, "action_av")], Mail);
        var r = new Recorder { Decide = _ => Gate(DecisionAction.Accept) };
        var backend = new EximBackend(r, r);
        var request = new ClamdScanRequest(Mail, "stream", ClamdSource.Stream);

        Assert.Equal(ScanStatus.Clean, (await backend.ScanAsync(request, TestContext.Current.CancellationToken)).Status);
        r.Decide = _ => Gate(DecisionAction.Reject);
        Assert.Equal(ScanStatus.NotScanned, (await backend.ScanAsync(request, TestContext.Current.CancellationToken)).Status);

        // A real not-scanned result (a limit) is never turned into clean, whatever the action.
        r.Decide = _ => new MessageDecision(new ScanReport(ScanStatus.NotScanned, [], ["size limit"], 1, TimeSpan.Zero),
            [new RecipientDecision("", DecisionAction.Accept, "admin accepts unscanned")], Mail);
        Assert.Equal(ScanStatus.NotScanned, (await backend.ScanAsync(request, TestContext.Current.CancellationToken)).Status);
    }
}
