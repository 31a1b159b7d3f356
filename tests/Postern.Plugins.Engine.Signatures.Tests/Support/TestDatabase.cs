using System.Collections.Immutable;
using System.Text;
using Postern.Plugins.Engine.Signatures.Loading;
using Postern.Plugins.Engine.Signatures.Matching;
using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Tests.Support;

/// <summary>Compiles databases from lines in memory, so matcher tests read as signature plus bytes.</summary>
internal static class TestDatabase
{
    public static CompiledDatabase FromNdb(params string[] lines)
    {
        var bodies = new List<BodySignature>();
        foreach (var line in lines)
        {
            var outcome = NdbLineParser.Parse(line, out var signature, out var issue);
            Assert.True(outcome == LineOutcome.Signature, $"'{line}' did not parse: {issue}");
            bodies.Add(signature!);
        }

        return CompiledDatabase.Compile(new DatabaseContents(bodies, [], new LoadReport()));
    }

    public static CompiledDatabase FromLdb(IEnumerable<GeneratedLogical> logicals) => FromLdb([.. logicals.Select(l => l.LdbLine)]);

    public static CompiledDatabase FromLdb(params string[] lines)
    {
        var parsed = new List<LogicalSignature>();
        foreach (var line in lines)
        {
            // Lines for a newer engine (Engine:250-255) are skipped, as a load skips them.
            var outcome = LdbLineParser.Parse(line, out var signature, out var issue);
            Assert.True(outcome != LineOutcome.Unsupported, $"'{line}' did not parse: {issue}");
            if (outcome == LineOutcome.Signature)
            {
                parsed.Add(signature!);
            }
        }

        return CompiledDatabase.Compile(new DatabaseContents(new BodyStore(), new HashStore(), parsed, new HashStore(), new LoadReport()));
    }

    public static CompiledDatabase FromHashes(params string[] lines)
    {
        var hashes = new List<HashSignature>();
        foreach (var line in lines)
        {
            var outcome = HashLineParser.Parse(line, out var signature, out var issue);
            Assert.True(outcome == LineOutcome.Signature, $"'{line}' did not parse: {issue}");
            hashes.Add(signature!);
        }

        return CompiledDatabase.Compile(new DatabaseContents([], hashes, new LoadReport()));
    }

    /// <summary>True when the single signature <c>T:0:offset:hex</c> matches <paramref name="data"/>.</summary>
    public static bool Matches(string hex, byte[] data, string offset = "*") =>
        FromNdb($"T:0:{offset}:{hex}").Scan(data, CancellationToken.None).Contains("T");

    public static ImmutableArray<string> Scan(this CompiledDatabase database, byte[] data) =>
        database.Scan(data, CancellationToken.None);

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    public static byte[] Hex(string hex) => Convert.FromHexString(hex);
}
