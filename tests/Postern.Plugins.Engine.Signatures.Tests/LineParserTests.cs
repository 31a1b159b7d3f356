using Postern.Plugins.Engine.Signatures.Loading;
using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Tests;

public sealed class LineParserTests
{
    [Theory]
    [InlineData("*", "Any", 0, 0)]
    [InlineData("12", "FromStart", 12, 0)]
    [InlineData("12,30", "FromStart", 12, 30)]
    [InlineData("EOF-8", "FromEnd", 8, 0)]
    [InlineData("EOF-8,4", "FromEnd", 8, 4)]
    public void Ndb_Offsets_Parse(string offset, string kind, long start, long shift)
    {
        var outcome = NdbLineParser.Parse($"N:0:{offset}:414243", out var signature, out _);

        Assert.Equal(LineOutcome.Signature, outcome);
        Assert.Equal(new SignatureOffset(Enum.Parse<OffsetKind>(kind), start, shift), signature!.Offset);
        Assert.Equal("N", signature.Name);
    }

    [Theory]
    [InlineData("N:0:EP+10:414243", IssueKinds.Offset)]
    [InlineData("N:0:S1+4:414243", IssueKinds.Offset)]
    [InlineData("N:0:SE1:414243", IssueKinds.Offset)]
    [InlineData("N:0:VI:414243", IssueKinds.Offset)]
    [InlineData("N:0:EOF-x:414243", IssueKinds.Malformed)]
    [InlineData("N:0:4,:414243", IssueKinds.Malformed)]
    [InlineData("N:1:*:414243", IssueKinds.TargetType)]
    [InlineData("N:7:*:414243", IssueKinds.TargetType)]
    [InlineData("N:x:*:414243", IssueKinds.Malformed)]
    [InlineData("N:0:*", IssueKinds.Malformed)]
    [InlineData(":0:*:414243", IssueKinds.Malformed)]
    [InlineData("N:0:*:414243:1:2:3", IssueKinds.Malformed)]
    [InlineData("N:0:*:414243:abc", IssueKinds.Malformed)]
    [InlineData("N:0:*:(B)414243", IssueKinds.Boundary)]
    public void Ndb_Unsupported_ReportsKind(string line, string kind)
    {
        var outcome = NdbLineParser.Parse(line, out var signature, out var issue);

        Assert.Equal(LineOutcome.Unsupported, outcome);
        Assert.Null(signature);
        Assert.Equal(kind, issue.Kind);
    }

    [Theory]
    [InlineData("N:0:*:414243:300", "OutsideFunctionalityLevel")]
    [InlineData("N:0:*:414243:1:200", "OutsideFunctionalityLevel")]
    [InlineData("N:0:*:414243:1:216", "Signature")]
    [InlineData("N:0:*:414243::999", "Signature")]
    [InlineData("N:0:*:414243:216", "Signature")]
    public void Ndb_FunctionalityLevel_AsClamAv(string line, string expected) =>
        Assert.Equal(Enum.Parse<LineOutcome>(expected), NdbLineParser.Parse(line, out _, out _));

    [Theory]
    [InlineData("d41d8cd98f00b204e9800998ecf8427e:0:Md5", "Md5", 0L)]
    [InlineData("da39a3ee5e6b4b0d3255bfef95601890afd80709:12:Sha1", "Sha1", 12L)]
    [InlineData("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855:7:Sha256", "Sha256", 7L)]
    [InlineData("d41d8cd98f00b204e9800998ecf8427e:*:Any:73", "Md5", HashSignature.AnySize)]
    public void Hash_Lines_Parse(string line, string kind, long size)
    {
        var outcome = HashLineParser.Parse(line, out var signature, out _);

        Assert.Equal(LineOutcome.Signature, outcome);
        Assert.Equal(Enum.Parse<HashKind>(kind), signature!.Kind);
        Assert.Equal(size, signature.Size);
    }

    [Theory]
    [InlineData("d41d8cd98f00b204e9800998ecf8427e:*:Any", IssueKinds.HashSizeWildcard)]
    [InlineData("d41d8cd98f00b204e9800998ecf8427e:*:Any:72", IssueKinds.HashSizeWildcard)]
    [InlineData("d41d8cd98f00b204e9800998ecf8427:5:Short", IssueKinds.Malformed)]
    [InlineData("z41d8cd98f00b204e9800998ecf8427e:5:NotHex", IssueKinds.Malformed)]
    [InlineData("d41d8cd98f00b204e9800998ecf8427e:five:Size", IssueKinds.Malformed)]
    [InlineData("d41d8cd98f00b204e9800998ecf8427e:5", IssueKinds.Malformed)]
    [InlineData("d41d8cd98f00b204e9800998ecf8427e:5:", IssueKinds.Malformed)]
    public void Hash_Unsupported_ReportsKind(string line, string kind)
    {
        Assert.Equal(LineOutcome.Unsupported, HashLineParser.Parse(line, out _, out var issue));
        Assert.Equal(kind, issue.Kind);
    }

    [Fact]
    public void Hash_AboveFunctionalityLevel_IsLeftOut() =>
        Assert.Equal(LineOutcome.OutsideFunctionalityLevel,
            HashLineParser.Parse("d41d8cd98f00b204e9800998ecf8427e:0:Md5:999", out _, out _));
}
