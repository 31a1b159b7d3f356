using System.Text;
using Postern.Extraction.Tests.Support;
using Postern.Sdk.Scanning;

namespace Postern.Extraction.Tests;

/// <summary>The malformed-message corpus (Corpus/make-corpus.py): each message hides a marker only in encoded form.</summary>
public sealed class CorpusTests
{
    public static TheoryData<string> MarkedMessages =>
    [
        "duplicate-cte", "base64-junk", "missing-cte-base64", "two-boundaries", "duplicate-content-type",
        "missing-final-boundary", "preamble-part", "epilogue-part", "rfc2047-filename", "bad-charset", "uuencode-inline",
        "yenc-inline", "binhex-inline", "rfc822-nesting", "rfc822-base64", "multipart-cte", "message-partial",
    ];

    [Theory]
    [MemberData(nameof(MarkedMessages))]
    public void Walk_CorpusMessage_PlantedMarkerComesOutDecoded(string name)
    {
        var input = Load(name);
        var marker = "MARKER-" + name;
        Assert.True(input.AsSpan().IndexOf(Encoding.ASCII.GetBytes(marker)) < 0, "the corpus must hide the marker");

        var result = WalkResult.Run(input);

        Assert.True(result.WithMarker(marker) is not null, result.ToString());
    }

    [Theory]
    [MemberData(nameof(MarkedMessages))]
    public void Walk_CorpusMessage_FirstItemIsTheRawInput(string name)
    {
        var input = Load(name);

        var first = WalkResult.Run(input).Items[0];

        Assert.Equal(("", ScanItemKind.Raw, 0), (first.Path, first.Kind, first.Depth));
        Assert.Equal(input, first.Content);
    }

    [Fact]
    public void Walk_Rfc2047AndRfc2231Filenames_AreDecoded()
    {
        var result = WalkResult.Run(Load("rfc2047-filename"));

        Assert.Equal("résumé.exe", result.WithMarker("MARKER-rfc2047-filename")?.FileName);
        Assert.Equal("€ rate invoice.pdf.exe", result.WithMarker("MARKER-rfc2231-filename")?.FileName);
        Assert.Contains(result.Items, i => i.Path == "part1[résumé.exe]");
    }

    [Theory]
    [InlineData("uuencode-inline", "evil.bin", "part1/uuencode[evil.bin]")]
    [InlineData("yenc-inline", "y.bin", "part1/yenc[y.bin]")]
    [InlineData("binhex-inline", "mac.doc", "part1/binhex[mac.doc]")]
    public void Walk_InlineBlock_IsItsOwnNamedItem(string name, string fileName, string path)
    {
        var item = WalkResult.Run(Load(name)).WithMarker("MARKER-" + name);

        Assert.NotNull(item);
        Assert.Equal((ScanItemKind.InlineEncoded, fileName, path), (item.Kind, item.FileName, item.Path));
        Assert.Equal(Payloads.Marker(name), item.Content);
    }

    [Fact]
    public void Walk_NestedForwardedMessages_PartsDeepenAndPathsFollow()
    {
        var item = WalkResult.Run(Load("rfc822-nesting")).WithMarker("MARKER-rfc822-nesting");

        Assert.NotNull(item);
        Assert.Equal(3, item.Depth);
        Assert.Equal("part2/part1/part1", item.Path);
    }

    [Fact]
    public void Walk_DuplicateCte_BothReadingsAreYielded()
    {
        var result = WalkResult.Run(Load("duplicate-cte"));

        Assert.Contains(result.Items, i => i.Path == "part1");
        Assert.Contains(result.Items, i => i.Path.StartsWith("part1~cte=", StringComparison.Ordinal));
    }

    [Fact]
    public void Walk_MultipartsNestedPastTheLimit_GiveAReason()
    {
        var result = WalkResult.Run(Load("deep-nesting"));

        Assert.Contains(result.Reasons, r => r.Contains("MIME nesting limit", StringComparison.Ordinal));
    }

    [Fact]
    public void Walk_MessagePartial_IsNotedAsNotReassembled()
    {
        var result = WalkResult.Run(Load("message-partial"));

        Assert.Contains(result.Reasons, r => r.Contains("message/partial 1/2 not reassembled", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(MarkedMessages))]
    public void Walk_TruncatedOrBitFlippedCorpusMessage_NeverThrows(string name)
    {
        foreach (var mutated in Damaged(Load(name), seed: name.Length, flips: 5))
        {
            var result = WalkResult.Run(mutated);

            Assert.Equal(mutated, result.Items[0].Content);
        }
    }

    /// <summary>
    /// What the raw pattern pass skips must come back: every range an item carries is strictly valid base64 inside the
    /// item, in order, and unless the walk recorded a "not scanned" reason its decoded bytes are an item's content (or
    /// decode to nothing). Over the corpus and fifty truncated or bit-flipped copies of each message.
    /// </summary>
    [Theory]
    [MemberData(nameof(MarkedMessages))]
    public void Walk_CorpusMessage_SkippedRangesComeBackDecoded(string name)
    {
        var input = Load(name);
        var round = 0;
        foreach (var mutated in Damaged(input, seed: name.Length + 1, flips: 3).Prepend(input))
        {
            var result = WalkResult.Run(mutated);
            foreach (var item in result.Items)
            {
                var end = 0;
                foreach (var range in item.DecodedElsewhere)
                {
                    var (start, length) = range.GetOffsetAndLength(item.Content.Length);
                    Assert.True(start >= end && length > 0, $"{name} round {round}: {item.Path} ranges out of order");
                    end = start + length;
                    var text = item.Content.AsSpan(start, length);
                    Assert.True(System.Buffers.Text.Base64.IsValid(text, out var decodedLength));
                    if (result.Reasons.Count > 0 || decodedLength == 0)
                    {
                        continue;
                    }

                    var decoded = Convert.FromBase64String(Encoding.ASCII.GetString(text));
                    Assert.True(result.Items.Any(i => i.Kind != ScanItemKind.Raw && i.Content.AsSpan().SequenceEqual(decoded)),
                        $"{name} round {round}: {item.Path} skips {start}..{end}, whose {decoded.Length} decoded bytes are no item\n{result}");
                }
            }

            round++;
        }
    }

    /// <summary>Fifty damaged copies of a message: each cut at a random length, then a few random bytes overwritten.</summary>
    private static IEnumerable<byte[]> Damaged(byte[] input, int seed, int flips)
    {
        var random = new Random(seed);
        for (var copy = 0; copy < 50; copy++)
        {
            var mutated = input.AsSpan(0, random.Next(input.Length)).ToArray();
            for (var flip = 0; flip < flips && mutated.Length > 0; flip++)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            yield return mutated;
        }
    }

    internal static byte[] Load(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Corpus", name + ".eml"));
}
