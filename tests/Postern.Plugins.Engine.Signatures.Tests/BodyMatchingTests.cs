using static Postern.Plugins.Engine.Signatures.Tests.Support.TestDatabase;

namespace Postern.Plugins.Engine.Signatures.Tests;

public sealed class BodyMatchingTests
{
    [Theory]
    [InlineData("414243", "414243", true)]
    [InlineData("414243", "00414243", true)]
    [InlineData("414243", "41424300", true)]
    [InlineData("414243", "4142", false)]
    [InlineData("414243", "414244", false)]
    [InlineData("41424344", "00004142434400", true)]
    public void Plain_MatchesAnywhereIncludingBufferEdges(string hex, string data, bool expected) =>
        Assert.Equal(expected, Matches(hex, Hex(data)));

    [Theory]
    [InlineData("??414243", "414243", false)]
    [InlineData("??414243", "00414243", true)]
    [InlineData("414243??", "414243", false)]
    [InlineData("414243??", "414243ff", true)]
    [InlineData("4142??4344", "4142004344", true)]
    [InlineData("4142a?4344", "4142af4344", true)]
    [InlineData("4142a?4344", "4142b04344", false)]
    [InlineData("4142?a4344", "41425a4344", true)]
    [InlineData("4142?a4344", "41425b4344", false)]
    public void Wildcards_MatchAnyOrNibble_AndNeedTheirByte(string hex, string data, bool expected) =>
        Assert.Equal(expected, Matches(hex, Hex(data)));

    [Theory]
    [InlineData("4142{2-4}434445", "4142" + "000000" + "434445", true)]
    [InlineData("4142{2-4}434445", "4142" + "0000" + "434445", true)]
    [InlineData("4142{2-4}434445", "4142" + "00" + "434445", false)]
    [InlineData("4142{2-4}434445", "4142" + "00000000" + "434445", true)]
    [InlineData("4142{2-4}434445", "4142" + "00" + "4344", false)]
    [InlineData("4142{2-4}434445", "4142" + "0000000000" + "434445", false)]
    [InlineData("4142{2-4}434445", "4142" + "434445", false)]
    [InlineData("4142{-3}434445", "4142434445", true)]
    [InlineData("4142{-3}434445", "4142000000434445", true)]
    [InlineData("4142{-3}434445", "414200000000434445", false)]
    [InlineData("4142{3-}434445", "4142000000434445", true)]
    [InlineData("4142{3-}434445", "41420000434445", false)]
    [InlineData("4142{80}434445", "4142" + Zeros80 + "434445", true)]
    [InlineData("4142{80}434445", "4142" + Zeros80 + "00434445", false)]
    [InlineData("4142{3}434445", "4142000000434445", true)]
    [InlineData("4142{3}434445", "41420000434445", false)]
    public void Gaps_HonourTheirLimitsExactly(string hex, string data, bool expected) =>
        Assert.Equal(expected, Matches(hex, Hex(data)));

    [Theory]
    [InlineData("414243*444546", "414243444546", true)]
    [InlineData("414243*444546", "414243" + Zeros80 + "444546", true)]
    [InlineData("414243*444546", "444546414243", false)]
    [InlineData("414243*434445", "4142434445", false)]
    [InlineData("41424344*4445464748", "414243444546474800", false)]
    [InlineData("414243*444546*474849", "414243474849444546", false)]
    [InlineData("414243*444546*474849", "414243444546474849", true)]
    public void Star_NeedsPartsInOrderWithoutOverlap(string hex, string data, bool expected) =>
        Assert.Equal(expected, Matches(hex, Hex(data)));

    [Fact]
    public void Gaps_BacktrackOverEarlierPartialMatches()
    {
        // The first "4142" is followed by "4344" too far away; only the second placement fits the gap.
        var data = Hex("41420000000000000041420043444546");

        Assert.True(Matches("4142{0-2}43444546", data));
        Assert.False(Matches("4142{0-0}43444546", data));
    }

    [Theory]
    [InlineData("4142(43|44|45)4647", "4142444647", true)]
    [InlineData("4142(43|44|45)4647", "4142464647", false)]
    [InlineData("4142(4344|4546)4748", "414245464748", true)]
    [InlineData("4142(4344|4546)4748", "414243464748", false)]
    [InlineData("4142!(43|44)4647", "4142454647", true)]
    [InlineData("4142!(43|44)4647", "4142434647", false)]
    [InlineData("4142!(4344|4546)4748", "414243454748", true)]
    [InlineData("4142!(4344|4546)4748", "414245464748", false)]
    [InlineData("(41|42)434445", "42434445", true)]
    [InlineData("434445(41|42)", "43444500", false)]
    public void Alternatives_MatchOneOptionOrNoneWhenNegated(string hex, string data, bool expected) =>
        Assert.Equal(expected, Matches(hex, Hex(data)));

    [Fact]
    public void OverlappingSignatures_AreAllReported()
    {
        var database = FromNdb("A:0:*:41424344", "B:0:*:43444546", "C:0:*:4142{0-4}4546");

        Assert.Equal(["A", "B", "C"], database.Scan(Hex("00414243444546")));
    }

    [Fact]
    public void SelfOverlappingOccurrences_AreFound()
    {
        Assert.True(Matches("414141*41414142", Hex("41414141414142")));
        Assert.False(Matches("414141*41414142", Hex("414141414142")));
    }

    [Theory]
    [InlineData("0", "414243000000", true)]
    [InlineData("0", "00414243", false)]
    [InlineData("3", "000000414243", true)]
    [InlineData("3", "0000414243", false)]
    [InlineData("3", "00000000414243", false)]
    [InlineData("1,2", "0000414243", true)]
    [InlineData("1,2", "000000414243", true)]
    [InlineData("1,2", "00000000414243", false)]
    [InlineData("EOF-3", "0000414243", true)]
    [InlineData("EOF-4", "0000414243", false)]
    [InlineData("EOF-5,2", "0000414243", true)]
    [InlineData("EOF-9", "0000414243", false)]
    public void Offsets_ConstrainWhereTheSignatureStarts(string offset, string data, bool expected) =>
        Assert.Equal(expected, Matches("414243", Hex(data), offset));

    [Theory]
    [InlineData("2", "0000" + "4142" + "000000" + "434445", true)]
    [InlineData("2", "00" + "4142" + "000000" + "434445", false)]
    [InlineData("EOF-8", "0000" + "4142" + "000000" + "434445", true)]
    public void Offsets_ApplyToTheFirstPartWhenTheAnchorIsLater(string offset, string data, bool expected) =>
        Assert.Equal(expected, Matches("4142*434445", Hex(data), offset));

    [Fact]
    public void Scan_LargeItemAcrossSlices_FindsSignatureOnTheBoundary()
    {
        var data = new byte[(4 << 20) + 10];
        Hex("41424344454647").CopyTo(data, (4 << 20) - 3);

        Assert.True(Matches("41424344454647", data));
        Assert.True(Matches("4142*454647", data));
    }

    [Fact]
    public void Scan_ShortItems_MatchOnlyWhatFits()
    {
        Assert.True(Matches("4142??", Hex("414200")));
        Assert.False(Matches("4142??", Hex("4142")));
        Assert.False(Matches("414243", Hex("41")));
    }

    private const string Zeros80 =
        "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
}
