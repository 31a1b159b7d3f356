using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Core.Quarantine;
using Postern.Core.Scanning;
using Postern.Core.Tests.Marking;
using Postern.Protocols.Smtp;
using Postern.Protocols.Smtp.Tests.Support;

namespace Postern.Core.Tests.Quarantine;

/// <summary>Release against a real SMTP listener on 127.0.0.1.</summary>
public sealed class QuarantineReleaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static QuarantineRelease Release(TempStore t) => new(t.Store,
        new ScanPipeline([new VirusEngine()], new ScanOptions(), TimeProvider.System, NullLogger<ScanPipeline>.Instance),
        new SmtpClient(new SmtpClientOptions { ReplyTimeout = TimeSpan.FromSeconds(10) }), t.Time);

    [Fact]
    public async Task Release_CleanItem_ReinjectsEnvelopeAndBytesThenMarksReleased()
    {
        await using var t = new TempStore();
        await using var sink = new SmtpSink();
        var message = "Subject: false positive\r\n\r\nfine\r\n.dotted\r\n"u8.ToArray();
        var item = await t.Store.StoreAsync(TempStore.Envelope("a@x.example", "b@example.org", "c@example.org"), message, "infected", ["Old.Sig"], "", Ct);

        var (outcome, detail) = await Release(t).ReleaseAsync(item.Id, force: false, null, "127.0.0.1", sink.Port, Ct);

        Assert.Equal(ReleaseOutcome.Released, outcome);
        var tx = Assert.Single(sink.Transactions);
        Assert.Equal("a@x.example", tx.Sender);
        Assert.Equal(["b@example.org", "c@example.org"], tx.Recipients);
        Assert.Equal(message, tx.Data);
        Assert.NotNull((await t.Store.GetAsync(item.Id, Ct))!.Released);
        Assert.Contains("250", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_StillInfected_IsRefusedUnlessForced()
    {
        await using var t = new TempStore();
        await using var sink = new SmtpSink();
        var item = await t.Store.StoreAsync(TempStore.Envelope(), TestMessages.SinglePartInfected(), "infected", ["Test.Virus"], "", Ct);

        var refused = await Release(t).ReleaseAsync(item.Id, force: false, null, "127.0.0.1", sink.Port, Ct);
        Assert.Equal(ReleaseOutcome.StillInfected, refused.Outcome);
        Assert.Empty(sink.Transactions);

        var forced = await Release(t).ReleaseAsync(item.Id, force: true, ["admin@example.org"], "127.0.0.1", sink.Port, Ct);
        Assert.Equal(ReleaseOutcome.Released, forced.Outcome);
        Assert.Equal(["admin@example.org"], Assert.Single(sink.Transactions).Recipients);
    }

    [Fact]
    public async Task Release_ServerRefusesTheData_LeavesTheItemUnreleased()
    {
        await using var t = new TempStore();
        await using var sink = new SmtpSink(dataReplyCode: 451);
        var item = await t.Store.StoreAsync(TempStore.Envelope(), Encoding.ASCII.GetBytes("Subject: x\r\n\r\ny\r\n"), "infected", [], "", Ct);

        var (outcome, _) = await Release(t).ReleaseAsync(item.Id, force: false, null, "127.0.0.1", sink.Port, Ct);

        Assert.Equal(ReleaseOutcome.DeliveryFailed, outcome);
        Assert.Null((await t.Store.GetAsync(item.Id, Ct))!.Released);
    }
}
