using Postern.Plugins.Engine.Signatures.Matching;
using Postern.Plugins.Engine.Signatures.Tests.Support;
using static Postern.Plugins.Engine.Signatures.Tests.Support.TestDatabase;

namespace Postern.Plugins.Engine.Signatures.Tests;

/// <summary>
/// The four-byte prefilter tests only every fourth position when every signature has a plain run of seven bytes. It
/// must find exactly what the dense filter (every position) finds: names, and for logical signatures the counts of
/// each subsignature's occurrences, at every alignment, across skipped ranges and across the 4 MiB slices an item is
/// scanned in.
/// </summary>
public sealed class StridedPrefilterTests
{
    [Fact]
    public void Stride_FollowsTheShortestLongestRun()
    {
        Assert.Equal(4, FromNdb("A:0:*:00112233445566", "B:0:*:8899aabbccddeeff00").BodyStride);
        Assert.Equal(3, FromNdb("A:0:*:001122334455", "B:0:*:8899aabbccddeeff00").BodyStride);

        // One signature whose longest plain run is four bytes keeps the whole four-byte filter dense.
        Assert.Equal(1, FromNdb("A:0:*:00112233??44556677", "B:0:*:8899aabbccddeeff00").BodyStride);

        // A pattern with no four-byte run sits in a narrower filter and does not hold the four-byte one back.
        Assert.Equal(4, FromNdb("A:0:*:001122??334455", "B:0:*:8899aabbccddeeff00").BodyStride);
    }

    [Fact]
    public void Scan_StridedAndDense_FindTheSameAtEveryAlignment()
    {
        var random = new Random(21);
        var signatures = Enumerable.Range(0, 300).Select(i => SignatureGenerator.Create(random, i, "Str-", firstRun: 7)).ToList();
        string[] lines = [.. signatures.Select(s => $"{s.Name}:0:*:{s.Hex}")];
        var (strided, dense) = Both(lines);
        Assert.Equal(4, strided.BodyStride);
        Assert.Equal(1, dense.BodyStride);

        var found = 0;
        for (var trial = 0; trial < 240; trial++)
        {
            var signature = signatures[random.Next(signatures.Count)];
            var instance = signature.Instance(random, breakOne: trial % 5 == 0);
            var data = SignatureGenerator.Plain(random, instance.Length + (trial % 48));

            // Every start modulo 4 and 8, and every end of the item up to 24 bytes before its last.
            var at = trial % 2 == 0 ? trial / 2 % 24 : data.Length - instance.Length - (trial / 2 % 24);
            instance.CopyTo(data, Math.Clamp(at, 0, data.Length - instance.Length));

            var names = strided.Scan(data);
            Assert.Equal(dense.Scan(data), names);
            found += names.Contains(signature.Name) ? 1 : 0;
        }

        Assert.True(found > 150, $"only {found} planted instances were found: the test needs most of them");
    }

    [Fact]
    public void Scan_WithSkippedRanges_FindsEveryInstanceOutsideThem()
    {
        // Skipped ranges are base64 text scanned decoded elsewhere. An instance wholly outside them, even one that
        // ends where a range starts or starts where one ends, must be found; what is found is what a scan of the
        // whole item finds.
        var random = new Random(22);
        var signatures = Enumerable.Range(0, 200).Select(i => SignatureGenerator.Create(random, i, "Skip-", firstRun: 7)).ToList();
        var (strided, dense) = Both([.. signatures.Select(s => $"{s.Name}:0:*:{s.Hex}")]);
        Assert.Equal(4, strided.BodyStride);

        var planted = 0;
        for (var trial = 0; trial < 200; trial++)
        {
            var data = SignatureGenerator.Plain(random, 8192);
            var skip = new List<Range>();
            var outside = new List<string>();
            for (var at = random.Next(64); at < data.Length - 256;)
            {
                // An instance ending at a range's start, the range, an instance starting at its end, a gap.
                var before = signatures[random.Next(signatures.Count)];
                var bytes = before.Instance(random, breakOne: false);
                bytes.CopyTo(data, at);
                at += bytes.Length;
                var length = 1 + random.Next(150);
                skip.Add(new Range(at, at + length));
                at += length;
                var after = signatures[random.Next(signatures.Count)];
                bytes = after.Instance(random, breakOne: false);
                if (at + bytes.Length > data.Length)
                {
                    break;
                }

                bytes.CopyTo(data, at);
                at += bytes.Length + random.Next(200);
                outside.AddRange([before.Name, after.Name]);
            }

            var names = strided.Scan(data, skip, CancellationToken.None);
            Assert.All(outside, name => Assert.Contains(name, names));
            Assert.Equal(dense.Scan(data, skip, CancellationToken.None), names);
            Assert.Subset(strided.Scan(data).ToHashSet(), names.ToHashSet());
            planted += outside.Count;
        }

        Assert.True(planted > 1000, $"only {planted} instances planted");
    }

    [Fact]
    public void Scan_AcrossTheSliceBoundary_StridedFindsEveryStartOnce()
    {
        // Items are scanned in 4 MiB slices: a window that starts in one slice may have its tested gram in the next,
        // which tests it again and must not count it twice ("exactly once" below is a logical signature's count).
        var random = new Random(23);
        var signatures = Enumerable.Range(0, 40).Select(i => SignatureGenerator.Create(random, i, "Slice-", maxParts: 1, firstRun: 7)).ToList();
        var (strided, dense) = Both([.. signatures.Select(s => $"{s.Name}:0:*:{s.Hex}")]);
        var once = FromLdb([.. signatures.Select(s => $"{s.Name};Target:0;0=1;{s.Hex}")]);
        Assert.Equal(4, once.BodyStride);
        var data = SignatureGenerator.Plain(random, (4 << 20) + 4096);
        var boundary = 4 << 20;
        for (var shift = -9; shift <= 4; shift++)
        {
            var signature = signatures[(shift + 9) % signatures.Count];
            var copy = (byte[])data.Clone();
            signature.Instance(random, breakOne: false).CopyTo(copy, boundary + shift);

            var names = strided.Scan(copy);
            Assert.Contains(signature.Name, names);
            Assert.Equal(dense.Scan(copy), names);
            Assert.Contains(signature.Name, once.Scan(copy));
        }
    }

    [Fact]
    public void Scan_LogicalCounts_StridedAndDenseAgree()
    {
        // Counted subsignatures ("0>2") are verified at every occurrence: each must be counted once, however many
        // grams of its window the strided filter holds.
        var random = new Random(24);
        var logicals = Enumerable.Range(0, 120).Select(i => LogicalGenerator.Create(random, i, firstRun: 7)).ToList();
        var (strided, dense) = Both(logicals);
        Assert.Equal(4, strided.BodyStride);

        var found = 0;
        for (var trial = 0; trial < 150; trial++)
        {
            var data = SignatureGenerator.Plain(random, 2048 + random.Next(2048));
            for (var plants = random.Next(1, 4); plants > 0; plants--)
            {
                foreach (var (_, bytes) in logicals[random.Next(logicals.Count)].Plants(random))
                {
                    if (bytes.Length < data.Length)
                    {
                        bytes.CopyTo(data, random.Next(data.Length - bytes.Length));
                    }
                }
            }

            var names = strided.Scan(data);
            Assert.Equal(dense.Scan(data), names);
            found += names.Length;
        }

        Assert.True(found > 40, $"only {found} logical findings: the test needs counted matches");
    }

    private static (CompiledDatabase Strided, CompiledDatabase Dense) Both(string[] lines) =>
        (FromNdb(lines), Dense(() => FromNdb(lines)));

    private static (CompiledDatabase Strided, CompiledDatabase Dense) Both(IReadOnlyList<GeneratedLogical> logicals) =>
        (FromLdb(logicals), Dense(() => FromLdb(logicals)));

    private static CompiledDatabase Dense(Func<CompiledDatabase> compile)
    {
        var before = GramFilter.StrideLimit;
        try
        {
            GramFilter.StrideLimit = 1;
            return compile();
        }
        finally
        {
            GramFilter.StrideLimit = before;
        }
    }
}
