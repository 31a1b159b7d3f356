using System.Text;
using Postern.Plugins.Engine.Signatures.Tests.Support;

namespace Postern.Plugins.Engine.Signatures.Tests;

/// <summary>Our engine against the reference: the same generated database and files, the same names per file.</summary>
public sealed class ClamScanDifferentialTests
{
    [Theory]
    [InlineData(20260101)]
    [InlineData(7)]
    public async Task Scan_GeneratedSignaturesAndFiles_FindsWhatClamScanFinds(int seed)
    {
        using var root = new TempDirectory();
        var corpus = new DifferentialCorpus(seed, root.Path);
        corpus.Generate(bodySignatures: 300, bodyFiles: 160, hashFiles: 60);

        var expected = await CompareAsync(corpus, corpus.DatabaseDirectory);

        AssertTheCorpusExercisedTheMatcher(expected, "Diff.Body-", 80);
        Assert.True(expected.Values.SelectMany(n => n).Count(n => n.StartsWith("Diff.Hash-", StringComparison.Ordinal)) >= 20);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(20260102)]
    [InlineData(3)]
    public async Task Scan_LogicalSignaturesAndAllowLists_FindWhatClamScanFinds(int seed)
    {
        using var root = new TempDirectory();
        var corpus = new DifferentialCorpus(seed, root.Path);
        corpus.Generate(bodySignatures: 200, bodyFiles: 200, hashFiles: 20, logicalSignatures: 150);

        var expected = await CompareAsync(corpus, corpus.DatabaseDirectory);

        AssertTheCorpusExercisedTheMatcher(expected, "Diff.Logical-", 40);
        var names = expected.Values.SelectMany(n => n).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(names, corpus.Ignored.Contains);
        Assert.All(corpus.Allowed, file => Assert.Empty(expected[file]));
    }

    [Fact]
    public async Task Scan_SignaturesWithLongRuns_TheStridedPrefilter_FindsWhatClamScanFinds()
    {
        // Every signature starts with a plain run of seven bytes or more, so the four-byte filter tests only every
        // fourth position (StridedPrefilterTests compares it with the dense filter; this with the reference).
        using var root = new TempDirectory();
        var corpus = new DifferentialCorpus(31, root.Path, firstRun: 7);
        corpus.Generate(bodySignatures: 200, bodyFiles: 200, hashFiles: 10, logicalSignatures: 120);
        Assert.Equal(4, TestDatabase.FromNdb([.. corpus.Bodies.Select(b => b.NdbLine)]).BodyStride);

        var expected = await CompareAsync(corpus, corpus.DatabaseDirectory);

        AssertTheCorpusExercisedTheMatcher(expected, "Diff.Body-", 60);
        AssertTheCorpusExercisedTheMatcher(expected, "Diff.Logical-", 30);
    }

    [Fact]
    public async Task Scan_DatabaseInAContainer_FindsWhatClamScanFinds()
    {
        using var root = new TempDirectory();
        var corpus = new DifferentialCorpus(5, root.Path);
        corpus.Generate(bodySignatures: 150, bodyFiles: 120, hashFiles: 20, logicalSignatures: 80);
        var container = TestContainer.PackDirectory(corpus.DatabaseDirectory, Path.Combine(root.Path, "packed"), "diff.cud", version: 321);

        var expected = await CompareAsync(corpus, container);

        AssertTheCorpusExercisedTheMatcher(expected, "Diff.Logical-", 20);
        AssertTheCorpusExercisedTheMatcher(expected, "Diff.Body-", 20);
    }

    private static async Task<Dictionary<string, HashSet<string>>> CompareAsync(DifferentialCorpus corpus, string database)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var expected = await ClamScan.ScanAsync(database, corpus.Files, cancellation);
        var engine = await EngineFactory.Loaded(database);

        Assert.Contains("0 lines unsupported", engine.Status.Detail, StringComparison.Ordinal);
        var mismatches = new StringBuilder();
        foreach (var file in corpus.Files)
        {
            var result = await engine.Scan(await File.ReadAllBytesAsync(file, cancellation), file);
            var ours = result.Findings.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            if (!ours.SetEquals(expected[file]))
            {
                mismatches.AppendLine($"{Path.GetFileName(file)}: clamscan [{string.Join(", ", expected[file].Order())}], ours [{string.Join(", ", ours.Order())}]");
                foreach (var name in ours.Union(expected[file]).Except(ours.Intersect(expected[file])))
                {
                    mismatches.AppendLine($"    {corpus.Describe(name)}");
                }
            }
        }

        Assert.True(mismatches.Length == 0, $"our findings differ from clamscan's:\n{mismatches}");
        return expected;
    }

    /// <summary>
    /// Agreement on files where nothing matches proves nothing: demand a real share of hits and of clean files.
    /// A file counts as clean when it has no name beyond those every file has (logical signatures such as
    /// <c>0=0</c> are reported everywhere).
    /// </summary>
    private static void AssertTheCorpusExercisedTheMatcher(Dictionary<string, HashSet<string>> expected, string prefix, int minimum)
    {
        var names = expected.Values.SelectMany(n => n).ToHashSet(StringComparer.Ordinal);
        var matched = names.Count(n => n.StartsWith(prefix, StringComparison.Ordinal));
        var everywhere = expected.Values.Aggregate((a, b) => [.. a.Intersect(b)]);
        var cleanFiles = expected.Count(e => e.Value.IsSubsetOf(everywhere));

        Assert.True(matched >= minimum, $"only {matched} {prefix} signatures matched anywhere");
        Assert.True(cleanFiles >= 10, $"only {cleanFiles} files were clean");
    }
}
