using Postern.Plugins.Engine.Signatures.Loading;
using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Tests;

/// <summary>
/// The load reads <c>.ndb</c> lines straight into a <see cref="BodyStore"/>; tests and logical subsignatures go
/// through <see cref="NdbLineParser.Parse"/> and objects. Both paths must keep the same signature.
/// </summary>
public sealed class BodyStoreTests
{
    private static readonly string[] AllLines =
    [
        "Plain:0:*:414243444546",
        "Masked:0:10,20:41??43a??5464748",
        "Gaps:0:EOF-40,8:41424344{4}45464748*494a4b4c{10-20}4d4e4f50",
        "Inline:0:*:4142434445{64}46474849",
        "Split:0:*:4142434445{65}46474849",
        "Alternatives:0:*:41424344(45|46|47)48494a!(4b4c|4d4e)4f5051",
        "Levels:0:*:414243444546:51:255",
        "Ünïcode.Näme:0:*:414243444546",
    ];

    public static TheoryData<string> Lines => new(AllLines);

    [Theory]
    [MemberData(nameof(Lines))]
    public void ParseInto_KeepsWhatParseReads(string line)
    {
        Assert.Equal(LineOutcome.Signature, NdbLineParser.Parse(line, out var expected, out _));
        var store = new BodyStore();

        var outcome = NdbLineParser.ParseInto(line, store, null, out var ignored, out _);

        Assert.Equal(LineOutcome.Signature, outcome);
        Assert.False(ignored);
        Assert.Equal(1, store.Count);
        AssertSame(expected!, store.Signature(0));
    }

    [Theory]
    [InlineData("N:0:EP+10:414243", IssueKinds.Offset)]
    [InlineData("N:1:*:414243", IssueKinds.TargetType)]
    [InlineData("N:0:*", IssueKinds.Malformed)]
    [InlineData(":0:*:414243", IssueKinds.Malformed)]
    [InlineData("N:0:*:414243:1:2:3", IssueKinds.Malformed)]
    [InlineData("N:0:*:414243:1:2:3:4:5", IssueKinds.Malformed)]
    [InlineData("N:0:*:(B)414243", IssueKinds.Boundary)]
    [InlineData("N:0:*:4142", IssueKinds.TooShort)]
    [InlineData("N:0:*:41424g", IssueKinds.Malformed)]
    [InlineData("N:0:*:*414243", IssueKinds.GapAtEdge)]
    public void ParseInto_RefusesWhatParseRefuses(string line, string kind)
    {
        var store = new BodyStore();

        var outcome = NdbLineParser.ParseInto(line, store, null, out _, out var issue);

        Assert.Equal(LineOutcome.Unsupported, outcome);
        Assert.Equal(kind, issue.Kind);
        Assert.Equal(NdbLineParser.Parse(line, out _, out var parseIssue), outcome);
        Assert.Equal(parseIssue, issue);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void ParseInto_IgnoredName_StoresNothing()
    {
        var store = new BodyStore();

        var outcome = NdbLineParser.ParseInto("Gone:0:*:414243444546", store, name => name == "Gone", out var ignored, out _);

        Assert.Equal(LineOutcome.Signature, outcome);
        Assert.True(ignored);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Positions_InMessages_CountFromTheHexField()
    {
        var store = new BodyStore();

        NdbLineParser.ParseInto("Name:0:*:414243zz", store, null, out _, out var issue);

        Assert.Equal("bad hex at character 7", issue.Detail);
    }

    [Fact]
    public void RemoveWhere_KeepsTheRestInOrder_WithTheirBlocks()
    {
        var store = new BodyStore();
        var lines = AllLines;
        foreach (var line in lines)
        {
            NdbLineParser.ParseInto(line, store, null, out _, out _);
        }

        var removed = store.RemoveWhere(name => name is "Plain" or "Gaps" or "Levels");

        Assert.Equal(3, removed);
        var kept = lines.Where(l => !l.StartsWith("Plain:", StringComparison.Ordinal) && !l.StartsWith("Gaps:", StringComparison.Ordinal)
            && !l.StartsWith("Levels:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(kept.Length, store.Count);
        for (var i = 0; i < kept.Length; i++)
        {
            NdbLineParser.Parse(kept[i], out var expected, out _);
            AssertSame(expected!, store.Signature(i));
        }
    }

    [Fact]
    public void RemoveWhere_NothingNamed_KeepsEverything()
    {
        var store = new BodyStore();
        foreach (var line in AllLines)
        {
            NdbLineParser.ParseInto(line, store, null, out _, out _);
        }

        Assert.Equal(0, store.RemoveWhere(name => name == "Absent"));
        Assert.Equal(AllLines.Length, store.Count);
        NdbLineParser.Parse(AllLines[^1], out var last, out _);
        AssertSame(last!, store.Signature(AllLines.Length - 1));
    }

    [Fact]
    public void Add_Object_RoundTrips()
    {
        NdbLineParser.Parse("Alternatives:0:4:41424344(45|46)48??4a{70}4b4c4d", out var signature, out _);
        var store = new BodyStore();

        store.Add(signature!);

        AssertSame(signature!, store.Signature(0));
    }

    private static void AssertSame(BodySignature expected, BodySignature actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Offset, actual.Offset);
        Assert.Equal(expected.Pattern.Gaps, actual.Pattern.Gaps);
        Assert.Equal(expected.Pattern.Blocks.Length, actual.Pattern.Blocks.Length);
        for (var b = 0; b < expected.Pattern.Blocks.Length; b++)
        {
            var (e, a) = (expected.Pattern.Blocks[b], actual.Pattern.Blocks[b]);
            Assert.Equal(e.Values, a.Values);
            Assert.Equal(e.Masks, a.Masks);
            Assert.Equal(e.IsStatic, a.IsStatic);
            Assert.Equal((e.LongestRunOffset, e.LongestRunLength), (a.LongestRunOffset, a.LongestRunLength));
            Assert.Equal(e.Alternatives, a.Alternatives, (x, y) =>
                x.Offset == y.Offset && x.Width == y.Width && x.Negated == y.Negated && x.Options.AsSpan().SequenceEqual(y.Options));
        }
    }
}
