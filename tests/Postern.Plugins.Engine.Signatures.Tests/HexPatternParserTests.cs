using Postern.Plugins.Engine.Signatures.Loading;
using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Tests;

public sealed class HexPatternParserTests
{
    [Fact]
    public void Parse_PlainHex_OneStaticBlockInEitherCase()
    {
        var pattern = Parse("41aBcD");

        var block = Assert.Single(pattern.Blocks);
        Assert.True(block.IsStatic);
        Assert.Equal(new byte[] { 0x41, 0xAB, 0xCD }, block.Values);
        Assert.Empty(pattern.Gaps);
    }

    [Theory]
    [InlineData("4142??43", 2, 0x00, 0x00)]
    [InlineData("4142a?43", 2, 0xA0, 0xF0)]
    [InlineData("4142?a43", 2, 0x0A, 0x0F)]
    public void Parse_Wildcards_SetValueAndMask(string hex, int position, int value, int mask)
    {
        var block = Assert.Single(Parse(hex).Blocks);

        Assert.Equal(value, block.Values[position]);
        Assert.Equal(mask, block.Masks[position]);
        Assert.False(block.IsStatic);
    }

    [Theory]
    [InlineData("414243*444546", 0, Gap.Unbounded)]
    [InlineData("414243{100}444546", 100, 100)]
    [InlineData("414243{-5}444546", 0, 5)]
    [InlineData("414243{5-}444546", 5, Gap.Unbounded)]
    [InlineData("414243{2-7}444546", 2, 7)]
    public void Parse_Gaps_SplitBlocks(string hex, int min, int max)
    {
        var pattern = Parse(hex);

        Assert.Equal(2, pattern.Blocks.Length);
        Assert.Equal(new Gap(min, max), Assert.Single(pattern.Gaps));
    }

    [Fact]
    public void Parse_ShortFixedGap_StaysInBlockAsWildcards()
    {
        var block = Assert.Single(Parse("4142{3}4344").Blocks);

        Assert.Equal(7, block.Length);
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0, 0, 0, 0xFF, 0xFF }, block.Masks);
    }

    [Theory]
    [InlineData("4142(43|44|45)46", false, 1)]
    [InlineData("4142(4344|4546)47", false, 2)]
    [InlineData("4142!(43|44)46", true, 1)]
    public void Parse_Alternatives_BecomeFixedWidthGroups(string hex, bool negated, int width)
    {
        var block = Assert.Single(Parse(hex).Blocks);

        var group = Assert.Single(block.Alternatives);
        Assert.Equal(2, group.Offset);
        Assert.Equal(width, group.Width);
        Assert.Equal(negated, group.Negated);
        Assert.Equal(2 + width + 1, block.Length);
    }

    [Theory]
    [InlineData("(B)414243", IssueKinds.Boundary)]
    [InlineData("414243(L)", IssueKinds.Boundary)]
    [InlineData("4142[1-2]4344", IssueKinds.AnchoredRange)]
    [InlineData("4142(43|4445)46", IssueKinds.Alternative)]
    [InlineData("4142(4?|44)46", IssueKinds.Alternative)]
    [InlineData("*414243", IssueKinds.GapAtEdge)]
    [InlineData("414243*", IssueKinds.GapAtEdge)]
    [InlineData("{2-3}414243", IssueKinds.GapAtEdge)]
    [InlineData("4142", IssueKinds.TooShort)]
    [InlineData("41*4243", IssueKinds.TooShort)]
    [InlineData("4?41", IssueKinds.TooShort)]
    [InlineData("", IssueKinds.Malformed)]
    [InlineData("41424", IssueKinds.Malformed)]
    [InlineData("4142zz", IssueKinds.Malformed)]
    [InlineData("414243{3-2}4445", IssueKinds.Malformed)]
    [InlineData("414243{x}4445", IssueKinds.Malformed)]
    [InlineData("414243{2", IssueKinds.Malformed)]
    [InlineData("4142(43|44", IssueKinds.Malformed)]
    [InlineData("4142(43)44", IssueKinds.Malformed)]
    [InlineData("414243**4445", IssueKinds.Malformed)]
    [InlineData("414243!4445", IssueKinds.Malformed)]
    public void Parse_UnsupportedOrBad_ReportsKind(string hex, string kind)
    {
        var pattern = HexPatternParser.Parse(hex, out var issue);

        Assert.Null(pattern);
        Assert.Equal(kind, issue.Kind);
        Assert.False(string.IsNullOrEmpty(issue.Detail));
    }

    private static BodyPattern Parse(string hex)
    {
        var pattern = HexPatternParser.Parse(hex, out var issue);
        Assert.True(pattern is not null, issue.ToString());
        return pattern;
    }
}
