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
        var cancellation = TestContext.Current.CancellationToken;
        using var root = new TempDirectory();
        var corpus = new DifferentialCorpus(seed, root.Path);
        corpus.Generate(bodySignatures: 300, bodyFiles: 160, hashFiles: 60);

        var expected = await ClamScan.ScanAsync(corpus.DatabaseDirectory, corpus.Files, cancellation);
        var engine = await EngineFactory.Loaded(corpus.DatabaseDirectory);

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
                    mismatches.AppendLine($"    {corpus.Bodies.FirstOrDefault(b => b.Name == name)?.NdbLine ?? name}");
                }
            }
        }

        Assert.True(mismatches.Length == 0, $"our findings differ from clamscan's:\n{mismatches}");
        AssertTheCorpusExercisedTheMatcher(expected);
    }

    /// <summary>Agreement on files where nothing matches proves nothing: demand a real share of hits of each kind.</summary>
    private static void AssertTheCorpusExercisedTheMatcher(Dictionary<string, HashSet<string>> expected)
    {
        var names = expected.Values.SelectMany(n => n).ToHashSet(StringComparer.Ordinal);
        var bodyNames = names.Count(n => n.StartsWith("Diff.Body-", StringComparison.Ordinal));
        var hashNames = names.Count(n => n.StartsWith("Diff.Hash-", StringComparison.Ordinal));
        var cleanFiles = expected.Count(e => e.Value.Count == 0);

        Assert.True(bodyNames >= 80, $"only {bodyNames} body signatures matched anywhere");
        Assert.True(hashNames >= 20, $"only {hashNames} hash signatures matched anywhere");
        Assert.True(cleanFiles >= 20, $"only {cleanFiles} files were clean");
    }
}
