using Postern.Plugins.Engine.Signatures.Loading;
using Postern.Plugins.Engine.Signatures.Tests.Support;

namespace Postern.Plugins.Engine.Signatures.Tests;

public sealed class DatabaseLoaderTests
{
    [Fact]
    public void Load_CountsEveryUnsupportedLineByKindWithItsLocation()
    {
        using var dir = new TempDirectory();
        var ndb = dir.Write("a.ndb", """
            # a comment, then a blank line

            Good.One:0:*:414243
            Bad.Target:1:*:414243
            Bad.Offset:0:EP+0:414243
            Bad.Boundary:0:*:(B)414243
            Good.Two:0:*:444546
            Old.Level:0:*:444546:999
            """);
        dir.Write("b.hdb", "d41d8cd98f00b204e9800998ecf8427e:0:Empty\nnot-a-hash:1:Bad\r\n");

        var report = DatabaseLoader.Load([dir.Path], CancellationToken.None).Report;

        Assert.Equal(2, report.BodySignatures);
        Assert.Equal(1, report.HashSignatures);
        Assert.Equal(4, report.UnsupportedLines);
        Assert.Equal(1, report.OutsideFunctionalityLevel);
        Assert.Equal(1, report.UnsupportedByKind[IssueKinds.TargetType]);
        Assert.Equal(1, report.UnsupportedByKind[IssueKinds.Offset]);
        Assert.Equal(1, report.UnsupportedByKind[IssueKinds.Boundary]);
        Assert.Equal(1, report.UnsupportedByKind[IssueKinds.Malformed]);
        Assert.StartsWith($"{ndb}:4: target-type:", report.Examples[0], StringComparison.Ordinal);
        Assert.Contains("4 lines unsupported (1 boundary, 1 malformed, 1 offset, 1 target-type)", report.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ListsFilesOfOtherKindsAsSkipped()
    {
        using var dir = new TempDirectory();
        dir.Write("main.mdb", "binary");
        dir.Write("rules.pdb", "X;Target:0;0;414243");
        dir.Write("ok.ndb", "X:0:*:414243\n");

        var report = DatabaseLoader.Load([dir.Path], CancellationToken.None).Report;

        Assert.Single(report.Files);
        Assert.Equal(2, report.SkippedFiles.Count);
        Assert.Contains("2 files skipped", report.Summary(), StringComparison.Ordinal);
        Assert.Contains("main.mdb", report.Summary(), StringComparison.Ordinal);
        Assert.Contains("rules.pdb", report.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NamesOnlyTheFirstFewExamples()
    {
        using var dir = new TempDirectory();
        dir.Write("many.ndb", string.Concat(Enumerable.Range(0, 20).Select(i => $"B{i}:0:VI:414243\n")));

        var report = DatabaseLoader.Load([dir.Path], CancellationToken.None).Report;

        Assert.Equal(20, report.UnsupportedLines);
        Assert.Equal(LoadReport.ExampleLimit, report.Examples.Count);
    }
}
