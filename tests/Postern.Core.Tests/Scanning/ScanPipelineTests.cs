using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Core.Scanning;
using Postern.Sdk.Messages;
using Postern.Sdk.Scanning;

namespace Postern.Core.Tests.Scanning;

public sealed class ScanPipelineTests
{
    private static readonly byte[] Message = Encoding.ASCII.GetBytes(
        "From: a@example.org\r\nTo: b@example.net\r\nSubject: t\r\n\r\nhello MARKER world\r\n");

    private static ScanPipeline Pipeline(ScanOptions options, params IScanEngine[] engines) =>
        new(engines, options, TimeProvider.System, NullLogger<ScanPipeline>.Instance);

    private static ValueTask<ScanReport> Scan(ScanPipeline p, byte[]? content = null) =>
        p.ScanAsync(new ScanRequest(content ?? Message, "test"), TestContext.Current.CancellationToken);

    [Fact]
    public async Task Scan_CleanContent_IsClean()
    {
        var report = await Scan(Pipeline(new ScanOptions(), new MarkerEngine("m", "NOTTHERE")));

        Assert.Equal(ScanStatus.Clean, report.Status);
        Assert.Empty(report.NotScannedReasons);
        Assert.True(report.ItemCount >= 1);
    }

    [Fact]
    public async Task Scan_ThrowingEngine_MakesMessageNotScannedButKeepsOtherEnginesFinding()
    {
        var report = await Scan(Pipeline(new ScanOptions(), new ThrowingEngine(), new MarkerEngine("m", "MARKER")));

        Assert.Equal(ScanStatus.Infected, report.Status);
        Assert.Contains(report.Findings, f => f.Name == "Marker.MARKER");
        Assert.Contains(report.NotScannedReasons, r => r.Contains("thrower: failed: InvalidOperationException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scan_OnlyEngineThrows_IsNotScannedNeverClean()
    {
        var report = await Scan(Pipeline(new ScanOptions(), new ThrowingEngine()));

        Assert.Equal(ScanStatus.NotScanned, report.Status);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Scan_HangingEngine_TimesOutAsNotScanned(bool polite)
    {
        var options = new ScanOptions { EngineTimeout = TimeSpan.FromMilliseconds(300), MessageTimeout = TimeSpan.FromSeconds(20) };

        var report = await Scan(Pipeline(options, new HangingEngine(polite), new MarkerEngine("m", "MARKER")));

        Assert.Equal(ScanStatus.Infected, report.Status);
        Assert.Contains(report.NotScannedReasons, r => r.Contains("timed out", StringComparison.Ordinal) || r.Contains("time limit", StringComparison.Ordinal));
        Assert.True(report.Elapsed < TimeSpan.FromSeconds(15), $"took {report.Elapsed}");
    }

    [Fact]
    public async Task Scan_MessageDeadlineShorterThanEngineBudget_EndsAtTheDeadline()
    {
        var options = new ScanOptions { EngineTimeout = TimeSpan.FromSeconds(30), MessageTimeout = TimeSpan.FromMilliseconds(300) };

        var report = await Scan(Pipeline(options, new HangingEngine(true)));

        Assert.Equal(ScanStatus.NotScanned, report.Status);
        Assert.True(report.Elapsed < TimeSpan.FromSeconds(15), $"took {report.Elapsed}");
    }

    [Fact]
    public async Task Scan_RepeatedFailures_OpenTheCircuitAndStopCallingTheEngine()
    {
        var thrower = new ThrowingEngine();
        var options = new ScanOptions { BreakerMinimumCalls = 4, BreakerFailureRatio = 0.5, BreakerDuration = TimeSpan.FromMinutes(5) };
        var pipeline = Pipeline(options, thrower);
        ScanReport last = null!;
        for (var i = 0; i < 12; i++)
        {
            last = await Scan(pipeline);
        }

        Assert.Equal(ScanStatus.NotScanned, last.Status);
        Assert.Contains(last.NotScannedReasons, r => r.Contains("circuit open", StringComparison.Ordinal));
        Assert.True(thrower.Calls < 12 * last.ItemCount, $"engine was called {thrower.Calls} times");
    }

    [Fact]
    public async Task Scan_EngineNotReady_IsNotScannedWithItsReason()
    {
        var report = await Scan(Pipeline(new ScanOptions(), new FailedEngine(), new MarkerEngine("m", "NOTTHERE")));

        Assert.Equal(ScanStatus.NotScanned, report.Status);
        Assert.Contains(report.NotScannedReasons, r => r.Contains("database missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scan_NoEngine_IsNotScanned()
    {
        var report = await Scan(Pipeline(new ScanOptions()));

        Assert.Equal(ScanStatus.NotScanned, report.Status);
        Assert.Contains("no scan engine in service", report.NotScannedReasons);
    }

    [Fact]
    public async Task Scan_StopOnFirstFinding_StopsWalkingAfterTheFirstHit()
    {
        var all = new MarkerEngine("m", "MARKER");
        var first = new MarkerEngine("m", "MARKER");
        await Scan(Pipeline(new ScanOptions(), all));
        await Scan(Pipeline(new ScanOptions { StopOnFirstFinding = true }, first));

        Assert.Equal(1, first.Calls);
        Assert.True(all.Calls > 1);
    }

    [Fact]
    public async Task Scan_MoreMessagesThanSlots_RunAtMostTheLimitAtOnceAndTheRestStillFinish()
    {
        var gate = new GateEngine();
        var pipeline = Pipeline(new ScanOptions { MaxConcurrentScans = 2 }, gate);
        var scans = Enumerable.Range(0, 6).Select(_ => Scan(pipeline).AsTask()).ToList();
        var waited = Task.Delay(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        while (Volatile.Read(ref gate.Entered) < 2 && !waited.IsCompleted)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        await Task.Delay(200, TestContext.Current.CancellationToken);  // room for a third to slip in, were the gate open
        Assert.Equal(2, Volatile.Read(ref gate.Entered));

        gate.Release();
        var reports = await Task.WhenAll(scans);

        Assert.All(reports, r => Assert.Equal(ScanStatus.Clean, r.Status));
        Assert.Equal(2, gate.Peak);
    }

    [Fact]
    public async Task Scan_WaitingForASlotPastTheDeadline_IsNotScannedWithTheTimeLimit()
    {
        var engine = new MarkerEngine("m", "MARKER");
        var options = new ScanOptions { MaxConcurrentScans = 1, MessageTimeout = TimeSpan.FromMilliseconds(300) };
        using var pipeline = Pipeline(options, engine);
        await pipeline.Slots.WaitAsync(TestContext.Current.CancellationToken);  // the only slot, held past the deadline
        try
        {
            var report = await Scan(pipeline);

            Assert.Equal(ScanStatus.NotScanned, report.Status);
            Assert.Contains(report.NotScannedReasons, r => r.StartsWith("time limit", StringComparison.Ordinal));
            Assert.Equal(0, engine.Calls);
        }
        finally
        {
            pipeline.Slots.Release();
        }

        Assert.Equal(ScanStatus.Infected, (await Scan(pipeline)).Status);  // the slot back: scans run again
    }
}
