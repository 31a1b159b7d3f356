using System.IO.Compression;
using System.Text;
using Postern.Extraction.Tests.Support;

namespace Postern.Extraction.Tests;

/// <summary>
/// Bombs are generated here, never committed. Each must end in reasons with bounded allocation; time is not asserted
/// (conventions: performance belongs in benchmarks), memory is, through the bytes allocated on this thread.
/// </summary>
public sealed class LimitTests
{
    private const long Mebibyte = 1024 * 1024;

    [Fact]
    public void Walk_OneGibibyteOfZerosInAZip_StopsAtALimitWithMemoryBoundedByTheLimit()
    {
        var bomb = TestArchives.ZerosZip("zeros.bin", 1024 * Mebibyte);
        var limits = ScanLimits.Default with { MaxItemBytes = 16 * Mebibyte };

        var (result, allocated) = Measure(() => WalkResult.Run(bomb, isMessage: false, limits));

        Assert.Contains("zeros.bin: size limit", result.Reasons);
        Assert.True(result.Context.DecodedBytes <= limits.MaxItemBytes + bomb.Length);
        // The member buffer grows by doubling up to the 16 MiB limit; the test copies the 16 MiB item once more.
        Assert.True(allocated < 80 * Mebibyte, $"allocated {allocated / Mebibyte} MiB");
    }

    [Fact]
    public void Walk_SmallZerosBomb_StopsAtTheRatioLimitLongBeforeTheSizeLimit()
    {
        var bomb = TestArchives.ZerosZip("zeros.bin", 64 * Mebibyte);

        var result = WalkResult.Run(bomb, isMessage: false);

        Assert.Contains("zeros.bin: expansion ratio limit", result.Reasons);
        Assert.True(result.Context.DecodedBytes <= (ScanLimits.Default.MaxRatio + 1) * bomb.Length);
    }

    [Fact]
    public void Walk_RecursiveZipBomb_StopsByLimitsWithBoundedMemory()
    {
        // 42.zip-style: 16 copies per level, 5 levels, 256 MiB of zeros at the bottom (16^5 * 256 MiB nominal).
        var level = TestArchives.ZerosZip("0.bin", 256 * Mebibyte);
        for (var depth = 1; depth <= 5; depth++)
        {
            var copies = Enumerable.Range(0, 16).Select(i => ($"{depth}-{i}.zip", level)).ToArray();
            level = TestArchives.Zip(CompressionLevel.Optimal, copies);
        }

        var (result, allocated) = Measure(() => WalkResult.Run(level, isMessage: false,
            ScanLimits.Default with { MaxTotalBytes = 64 * Mebibyte }));

        Assert.Contains(result.Reasons, r => r.EndsWith("0.bin: expansion ratio limit", StringComparison.Ordinal));
        Assert.True(result.Context.DecodedBytes <= 64 * Mebibyte);
        Assert.True(allocated < 128 * Mebibyte, $"allocated {allocated / Mebibyte} MiB");
    }

    [Fact]
    public void Walk_OverlappingEntriesZip_IsReportedAndNotExpanded()
    {
        var bomb = OverlapZip.Build(entries: 1000, kernelBytes: 64 * Mebibyte);

        var (result, allocated) = Measure(() => WalkResult.Run(bomb, isMessage: false));

        Assert.Contains(".: overlapping zip entries (zip bomb)", result.Reasons);
        Assert.True(allocated < 16 * Mebibyte, $"allocated {allocated / Mebibyte} MiB");
    }

    [Fact]
    public void Walk_ItemOverSizeLimit_IsCutAndReported()
    {
        var zip = TestArchives.Zip(CompressionLevel.Optimal, ("big.txt", new byte[3 * Mebibyte]));

        var result = WalkResult.Run(zip, isMessage: false, ScanLimits.Default with { MaxItemBytes = Mebibyte, MaxRatio = 1e9 });

        Assert.Contains("big.txt: size limit", result.Reasons);
        Assert.Equal(Mebibyte, result.Items.Single(i => i.Path == "big.txt").Content.Length);
    }

    [Fact]
    public void Walk_TotalBudgetSpent_LaterMembersAreCutAndReported()
    {
        var members = Enumerable.Range(0, 4).Select(i => ($"m{i}", Enumerable.Repeat((byte)i, (int)Mebibyte).ToArray())).ToArray();
        var zip = TestArchives.Zip(CompressionLevel.Optimal, members);

        var result = WalkResult.Run(zip, isMessage: false,
            ScanLimits.Default with { MaxTotalBytes = 2 * Mebibyte + zip.Length, MaxRatio = 1e9 });

        Assert.Contains("m2: total size limit (this and later members)", result.Reasons);
        Assert.True(result.Context.DecodedBytes <= 2 * Mebibyte + zip.Length);
    }

    [Fact]
    public void Walk_FileCountLimit_StopsAndSaysSo()
    {
        var members = Enumerable.Range(0, 50).Select(i => ($"f{i}.txt", Payloads.Marker($"file{i}"))).ToArray();

        var result = WalkResult.Run(TestArchives.Zip(CompressionLevel.Optimal, members), isMessage: false,
            ScanLimits.Default with { MaxFiles = 10 });

        Assert.Equal(10, result.Items.Count);
        Assert.Contains(result.Reasons, r => r.Contains("file count limit", StringComparison.Ordinal));
    }

    [Fact]
    public void Walk_ArchivesNestedPastMaxDepth_GiveADepthReason()
    {
        var nested = TestArchives.Zip(CompressionLevel.Optimal, ("x.txt", Payloads.Marker("deep")));
        for (var i = 0; i < 5; i++)
        {
            nested = TestArchives.Zip(CompressionLevel.Optimal, ($"l{i}.zip", nested));
        }

        var result = WalkResult.Run(nested, isMessage: false, ScanLimits.Default with { MaxDepth = 3 });

        Assert.Contains(result.Reasons, r => r.Contains("depth limit (zip at depth 3)", StringComparison.Ordinal));
        Assert.Null(result.WithMarker("MARKER-deep"));
    }

    [Fact]
    public void Walk_ForwardedMessagesPastMaxDepth_GiveADepthReason()
    {
        var message = Payloads.Headers("text/plain") + "\nbottom\n";
        for (var i = 0; i < 6; i++)
        {
            message = Payloads.Headers("message/rfc822") + "\n" + message;
        }

        var result = WalkResult.Run(Encoding.ASCII.GetBytes(message), isMessage: true, ScanLimits.Default with { MaxDepth = 4 });

        Assert.Contains(result.Reasons, r => r.Contains("depth limit (message at depth 4)", StringComparison.Ordinal));
    }

    [Fact]
    public void Walk_HugeHeaderBlock_GivesHeaderSizeReason()
    {
        var header = new StringBuilder(Payloads.Headers("text/plain"));
        for (var i = 0; i < 5000; i++)
        {
            header.Append("X-Filler-").Append(i).Append(": ").Append('a', 60).Append('\n');
        }

        var result = WalkResult.Run(Encoding.ASCII.GetBytes(header + "\nbody\n"), isMessage: true);

        Assert.Contains(".: header size limit", result.Reasons);
    }

    [Fact]
    public void Walk_TensOfThousandsOfEmptyParts_StopAtThePartLimitWithBoundedMemory()
    {
        var message = new StringBuilder(Payloads.Headers("multipart/mixed; boundary=b")).Append('\n');
        for (var i = 0; i < 200_000; i++)
        {
            message.Append("--b\n\n");
        }

        var input = Encoding.ASCII.GetBytes(message.Append("--b--\n").ToString());
        var (result, allocated) = Measure(() => WalkResult.Run(input, isMessage: true));

        Assert.Contains(result.Reasons, r => r.Contains("MIME part limit", StringComparison.Ordinal));
        Assert.True(allocated < 64 * Mebibyte, $"allocated {allocated / Mebibyte} MiB");
    }

    private static (WalkResult Result, long Allocated) Measure(Func<WalkResult> walk)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = walk();
        return (result, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
