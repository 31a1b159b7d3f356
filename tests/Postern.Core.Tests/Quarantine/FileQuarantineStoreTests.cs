using System.Text;
using Postern.Core.Quarantine;

namespace Postern.Core.Tests.Quarantine;

public sealed class FileQuarantineStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Store_ThenRead_GivesTheMessageByteForByteAndTheEnvelope()
    {
        await using var t = new TempStore();
        var message = Encoding.Latin1.GetBytes("Subject: x\n\nbare LF\rbare CR\r\n\u00ff\0end");

        var item = await t.Store.StoreAsync(TempStore.Envelope("a@x.example", "b@example.org", "c@example.org"), message, "infected", ["V1", "V2"], "infected: V1", Ct);

        Assert.Equal(message, await t.Store.ReadMessageAsync(item.Id, Ct));
        var got = await t.Store.GetAsync(item.Id, Ct);
        Assert.Equal(["b@example.org", "c@example.org"], got!.Recipients);
        Assert.Equal(("a@x.example", "4ABC", "postfix", "infected"), (got.Sender, got.QueueId, got.Agent, got.Status));
        Assert.Equal(["V1", "V2"], got.Detections);
        Assert.Equal(message.Length, got.Size);
    }

    [Fact]
    public async Task Ids_AreRandomBase32AndNotFromContent()
    {
        await using var t = new TempStore();
        var a = await t.Store.StoreAsync(TempStore.Envelope(), "x"u8.ToArray(), "infected", [], "", Ct);
        var b = await t.Store.StoreAsync(TempStore.Envelope(), "x"u8.ToArray(), "infected", [], "", Ct);

        Assert.NotEqual(a.Id, b.Id);
        Assert.True(QuarantineId.IsValid(a.Id));
        Assert.Matches("^[a-z2-7]{26}$", a.Id);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaa1")]
    [InlineData("")]
    public async Task UnsafeIds_AreNotFound(string id)
    {
        await using var t = new TempStore();

        Assert.Null(await t.Store.ReadMessageAsync(id, Ct));
        Assert.False(await t.Store.DeleteAsync(id, Ct));
    }

    [Fact]
    public async Task List_Filters_ByTimeSenderRecipientAndDetection()
    {
        var time = new ManualTime(new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var t = new TempStore(time);
        var first = await t.Store.StoreAsync(TempStore.Envelope("Spammer@Bad.example", "b@example.org"), "1"u8.ToArray(), "infected", ["Eicar-Test-Signature"], "", Ct);
        time.Now = time.Now.AddDays(1);
        var second = await t.Store.StoreAsync(TempStore.Envelope("a@x.example", "c@other.example", "d@example.org"), "2"u8.ToArray(), "infected", ["Win.Trojan.X"], "", Ct);

        async Task<string[]> Ids(QuarantineFilter f) => [.. (await t.Store.ListAsync(f, Ct)).Select(i => i.Id)];

        Assert.Equal([first.Id, second.Id], await Ids(new QuarantineFilter()));
        Assert.Equal([second.Id], await Ids(new QuarantineFilter { Since = time.Now.AddHours(-1) }));
        Assert.Equal([first.Id], await Ids(new QuarantineFilter { Until = time.Now.AddHours(-1) }));
        Assert.Equal([first.Id], await Ids(new QuarantineFilter { From = "spammer@bad.example" }));
        Assert.Equal([first.Id], await Ids(new QuarantineFilter { From = "@bad.example" }));
        Assert.Equal([second.Id], await Ids(new QuarantineFilter { To = "d@example.org" }));
        Assert.Equal([first.Id, second.Id], await Ids(new QuarantineFilter { To = "@example.org" }));
        Assert.Empty(await Ids(new QuarantineFilter { To = "example.org" }));
        Assert.Equal([second.Id], await Ids(new QuarantineFilter { Detection = "trojan" }));
    }

    [Fact]
    public async Task Open_AfterACrash_RemovesTempFilesIndexesLooseFilesAndDropsRowsWithoutFiles()
    {
        await using var t = new TempStore();
        var kept = await t.Store.StoreAsync(TempStore.Envelope(), "kept"u8.ToArray(), "infected", [], "", Ct);
        var lost = await t.Store.StoreAsync(TempStore.Envelope(), "lost"u8.ToArray(), "infected", [], "", Ct);
        await t.Store.DisposeAsync();
        File.Delete(Path.Combine(t.Items, lost.Id + ".pq"));
        File.WriteAllText(Path.Combine(t.Items, ".tmp-half-written"), "POSTERN-QUARANTINE 1 999\n{");
        File.Move(Path.Combine(t.Items, kept.Id + ".pq"), Path.Combine(t.Directory, "aside"));
        System.IO.File.Delete(Path.Combine(t.Directory, "index.db"));
        File.Move(Path.Combine(t.Directory, "aside"), Path.Combine(t.Items, kept.Id + ".pq"));

        await t.ReopenAsync();

        Assert.Equal(new ReconcileReport(1, 1, 0), t.Store.LastReconcile);
        Assert.Equal([kept.Id], (await t.Store.ListAsync(new QuarantineFilter(), Ct)).Select(i => i.Id));
        Assert.Empty(Directory.GetFiles(t.Items, ".tmp-*"));
    }

    [Fact]
    public async Task Open_RowWhoseFileVanished_IsDropped()
    {
        await using var t = new TempStore();
        var item = await t.Store.StoreAsync(TempStore.Envelope(), "x"u8.ToArray(), "infected", [], "", Ct);
        File.Delete(Path.Combine(t.Items, item.Id + ".pq"));

        await t.ReopenAsync();

        Assert.Equal(1, t.Store.LastReconcile.RowsDropped);
        Assert.Null(await t.Store.GetAsync(item.Id, Ct));
    }

    [Fact]
    public async Task Sweep_DeletesOnlyItemsOlderThanTheRetention()
    {
        var time = new ManualTime(new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var t = new TempStore(time);
        var old = await t.Store.StoreAsync(TempStore.Envelope(), "old"u8.ToArray(), "infected", [], "", Ct);
        time.Now = time.Now.AddDays(20);
        var young = await t.Store.StoreAsync(TempStore.Envelope(), "young"u8.ToArray(), "infected", [], "", Ct);
        time.Now = time.Now.AddDays(11);

        Assert.Equal(1, await QuarantineRetention.SweepAsync(t.Store, TimeSpan.FromDays(30), time, Ct));
        Assert.Null(await t.Store.GetAsync(old.Id, Ct));
        Assert.False(File.Exists(Path.Combine(t.Items, old.Id + ".pq")));
        Assert.NotNull(await t.Store.GetAsync(young.Id, Ct));
        Assert.Equal(0, await QuarantineRetention.SweepAsync(t.Store, TimeSpan.Zero, time, Ct));
    }

    [Theory]
    [InlineData("30d", 30 * 24)]
    [InlineData("2w", 14 * 24)]
    [InlineData("12h", 12)]
    public void AgeValue_ReadsDaysWeeksAndDurations(string text, int hours)
    {
        Assert.True(AgeValue.TryParse(text, out var age));
        Assert.Equal(TimeSpan.FromHours(hours), age);
    }
}
