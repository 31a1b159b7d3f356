using System.Security.Cryptography;
using Postern.Plugins.Engine.Signatures.Tests.Support;
using Postern.Sdk.Scanning;
using static Postern.Plugins.Engine.Signatures.Tests.Support.TestDatabase;

namespace Postern.Plugins.Engine.Signatures.Tests;

/// <summary>
/// Ranges an item marks as decoded elsewhere (<see cref="ScanItem.DecodedElsewhere"/>) start no body match; patterns
/// anchored outside them still read into them, offsets stay those of the whole item, and hashes take all of it.
/// </summary>
public sealed class DecodedElsewhereTests
{
    // 64 dots; the skipped middle is [16, 48).
    private static readonly byte[] Data = Ascii(new string('.', 64));
    private static readonly Range[] Middle = [16..48];

    [Theory]
    [InlineData(20, false)] // wholly inside
    [InlineData(16, false)] // starts at the range's first byte
    [InlineData(44, false)] // starts inside, ends at its last byte
    [InlineData(14, true)]  // starts before, runs into it
    [InlineData(48, true)]  // starts at the first byte after it
    [InlineData(2, true)]
    public void BodySignature_MatchesOnlyWhenItStartsOutsideTheRanges(int at, bool found)
    {
        var data = Place("WXYZ", at);

        var names = FromNdb("T:0:*:5758595a").Scan(data, Middle, CancellationToken.None);

        Assert.Equal(found, names.Contains("T"));
        Assert.Contains("T", FromNdb("T:0:*:5758595a").Scan(data, CancellationToken.None));
    }

    [Fact]
    public void Offsets_StayThoseOfTheWholeItem()
    {
        var data = Place("WXYZ", 50);

        Assert.Contains("T", FromNdb("T:0:50:5758595a").Scan(data, Middle, CancellationToken.None));
        Assert.Contains("E", FromNdb("E:0:EOF-14:5758595a").Scan(data, Middle, CancellationToken.None));
        Assert.Empty(FromNdb("T:0:49:5758595a").Scan(data, Middle, CancellationToken.None));
    }

    [Fact]
    public void HashSignature_TakesTheWholeItem()
    {
        var database = FromHashes($"{Convert.ToHexStringLower(MD5.HashData(Data))}:{Data.Length}:Whole");

        Assert.Equal(["Whole"], database.Scan(Data, [0..64], CancellationToken.None));
    }

    [Fact]
    public void RangesOutOfOrderOrBounds_ScanMoreNeverThrow()
    {
        var database = FromNdb("T:0:*:5758595a");
        Range[] odd = [40..60, 10..20, 50..^0, ^1..^3, 0..1000];

        // Read in order and clamped: [0, 40) is scanned, everything after the first range is covered by one or another.
        Assert.Contains("T", database.Scan(Place("WXYZ", 30), odd, CancellationToken.None));
        Assert.Empty(database.Scan(Place("WXYZ", 44), odd, CancellationToken.None));
    }

    [Fact]
    public async Task Engine_HonoursTheItemsRanges()
    {
        var engine = await EngineFactory.Loaded(Path.Combine(AppContext.BaseDirectory, "db"));
        var eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"u8.ToArray();
        byte[] content = [.. Ascii("head\n"), .. eicar, .. Ascii("\ntail\n")];
        var ct = TestContext.Current.CancellationToken;

        var skipped = await engine.ScanAsync(new ScanItem("", content, ScanItemKind.Raw, 0) { DecodedElsewhere = [5..(5 + eicar.Length)] }, ct);
        var whole = await engine.ScanAsync(new ScanItem("", content, ScanItemKind.Raw, 0), ct);

        Assert.Empty(skipped.Findings);
        Assert.Equal("Eicar-Test-Signature", Assert.Single(whole.Findings).Name);
    }

    private static byte[] Place(string text, int at)
    {
        var data = Data.ToArray();
        Ascii(text).CopyTo(data, at);
        return data;
    }
}
