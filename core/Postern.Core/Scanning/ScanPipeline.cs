using Microsoft.Extensions.Logging;
using Postern.Extraction;
using Postern.Sdk.Messages;
using Postern.Sdk.Scanning;

namespace Postern.Core.Scanning;

/// <summary>
/// The scan path: walk the content into items once, hand each item to every engine in service, and fold the
/// results into one report. Limits, engine failures, timeouts and engines out of service all end as
/// "not scanned (reason)", never as clean; an engine's failure never hides another engine's finding.
/// </summary>
public sealed partial class ScanPipeline : IMessageScanner, IDisposable
{
    private readonly EngineRunner[] runners;
    private readonly ScanOptions options;
    private readonly ContentWalker walker;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly SemaphoreSlim slots;

    public ScanPipeline(IEnumerable<IScanEngine> engines, ScanOptions options, TimeProvider time, ILogger<ScanPipeline> logger)
    {
        this.options = options;
        this.time = time;
        this.logger = logger;
        runners = [.. engines.Select(e => new EngineRunner(e, options, time))];
        walker = new ContentWalker(options.Limits);
        slots = new SemaphoreSlim(options.ScanSlots, options.ScanSlots);
    }

    public IReadOnlyList<IScanEngine> Engines => [.. runners.Select(r => r.Engine)];

    /// <summary>The scan slots (tests hold one to queue a scan behind it).</summary>
    internal SemaphoreSlim Slots => slots;

    /// <summary>Frees the slot gate; the pipeline must have no scan in flight.</summary>
    public void Dispose() => slots.Dispose();

    public async ValueTask<ScanReport> ScanAsync(ScanRequest request, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var scan = new ScanState(runners.Length);
        var ready = ReadyRunners(scan);
        if (ready.Count == 0)
        {
            scan.Reasons.Add("no scan engine in service");
            return scan.ToReport(time.GetElapsedTime(started));
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.MessageTimeout);
        var context = new ExtractionContext(options.Limits, deadline.Token);
        var holding = false;
        try
        {
            // The wait for a slot counts against the message's time: a queue longer than scan_timeout ends as a
            // time limit (not scanned, so the MTA retries), never as an unbounded wait.
            await slots.WaitAsync(deadline.Token);
            holding = true;
            foreach (var item in walker.Walk(request.Content, request.IsMessage, context))
            {
                scan.Items++;
                await ScanItemAsync(ready, item, scan, started, deadline.Token);
                if (options.StopOnFirstFinding && scan.Findings.Count > 0)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            scan.Reasons.Add($"time limit ({options.MessageTimeout.TotalSeconds:0.#} s)");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Boundary: a bug in decoding must cost this message a tempfail, not the process.
            LogWalkFailed(logger, request.Name, e);
            scan.Reasons.Add($"internal error while decoding: {e.GetType().Name}");
        }
        finally
        {
            if (holding)
            {
                slots.Release();
            }
        }

        scan.Reasons.AddRange(context.NotScannedReasons);
        return scan.ToReport(time.GetElapsedTime(started));
    }

    private List<EngineRunner> ReadyRunners(ScanState scan)
    {
        var ready = new List<EngineRunner>(runners.Length);
        foreach (var r in runners)
        {
            var status = r.Engine.Status;
            if (status.State == EngineState.Ready)
            {
                ready.Add(r);
            }
            else
            {
                scan.Reasons.Add($"engine {r.Name}: not in service ({status.Detail})");
            }
        }

        return ready;
    }

    private async ValueTask ScanItemAsync(List<EngineRunner> ready, ScanItem item, ScanState scan, long started, CancellationToken token)
    {
        var left = options.MessageTimeout - time.GetElapsedTime(started);
        var t0 = time.GetTimestamp();
        if (ready.Count == 1)
        {
            scan.Add(await ready[0].RunAsync(item, Budget(0, left, scan), token));
            scan.EngineTime[0] += time.GetElapsedTime(t0);
            return;
        }

        var pending = new Task<EngineResult>[ready.Count];
        for (var i = 0; i < ready.Count; i++)
        {
            pending[i] = ready[i].RunAsync(item, Budget(i, left, scan), token).AsTask();
        }

        for (var i = 0; i < pending.Length; i++)
        {
            scan.Add(await pending[i]);
            scan.EngineTime[i] += time.GetElapsedTime(t0);
        }
    }

    private TimeSpan Budget(int engine, TimeSpan messageLeft, ScanState scan)
    {
        var engineLeft = options.EngineTimeout - scan.EngineTime[engine];
        return engineLeft < messageLeft ? engineLeft : messageLeft;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Decoding {Name} failed; the message is not scanned")]
    private static partial void LogWalkFailed(ILogger logger, string name, Exception e);

    private sealed class ScanState(int engines)
    {
        public List<Finding> Findings { get; } = [];

        public List<string> Reasons { get; } = [];

        public TimeSpan[] EngineTime { get; } = new TimeSpan[engines];

        public int Items { get; set; }

        public void Add(EngineResult result)
        {
            foreach (var f in result.Findings)
            {
                if (!Findings.Any(x => x.Name == f.Name && x.ItemPath == f.ItemPath))
                {
                    Findings.Add(f);
                }
            }

            if (result.NotScannedReason is { } reason && !Reasons.Contains(reason))
            {
                Reasons.Add(reason);
            }
        }

        public ScanReport ToReport(TimeSpan elapsed)
        {
            var status = Findings.Count > 0 ? ScanStatus.Infected
                : Reasons.Count > 0 ? ScanStatus.NotScanned
                : ScanStatus.Clean;
            return new ScanReport(status, [.. Findings], [.. Reasons.Distinct()], Items, elapsed);
        }
    }
}
