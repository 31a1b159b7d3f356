using System.Text;
using Postern.Sdk.Scanning;

namespace Postern.Core.Tests.Scanning;

/// <summary>Finds a marker string in any item.</summary>
internal sealed class MarkerEngine(string name, string marker) : IScanEngine
{
    private readonly byte[] needle = Encoding.ASCII.GetBytes(marker);

    public string Name => name;

    public EngineStatus Status { get; } = new(EngineState.Ready, "ok", 1);

    public int Calls;

    public ValueTask InitializeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<EngineResult> ScanAsync(ScanItem item, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        return ValueTask.FromResult(item.Content.Span.IndexOf(needle) >= 0
            ? EngineResult.Infected(new Finding("Marker." + marker, name, item.Path))
            : EngineResult.Clean);
    }
}

/// <summary>Throws on every scan.</summary>
internal sealed class ThrowingEngine : IScanEngine
{
    public int Calls;

    public string Name => "thrower";

    public EngineStatus Status { get; } = new(EngineState.Ready, "ok");

    public ValueTask InitializeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<EngineResult> ScanAsync(ScanItem item, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        throw new InvalidOperationException("database corrupt");
    }
}

/// <summary>Never answers; optionally deaf to cancellation too.</summary>
internal sealed class HangingEngine(bool honoursCancellation) : IScanEngine
{
    public string Name => honoursCancellation ? "hang-polite" : "hang-deaf";

    public EngineStatus Status { get; } = new(EngineState.Ready, "ok");

    public ValueTask InitializeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask<EngineResult> ScanAsync(ScanItem item, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, honoursCancellation ? cancellationToken : CancellationToken.None);
        return EngineResult.Clean;
    }
}

/// <summary>An engine whose database failed to load.</summary>
internal sealed class FailedEngine : IScanEngine
{
    public string Name => "failed";

    public EngineStatus Status { get; } = new(EngineState.Failed, "database missing");

    public ValueTask InitializeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<EngineResult> ScanAsync(ScanItem item, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("must not be called");
}

/// <summary>Holds every scan until released, and records how many ran at once.</summary>
internal sealed class GateEngine : IScanEngine
{
    private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int running;
    public int Peak;
    public int Entered;

    public string Name => "gate";

    public EngineStatus Status { get; } = new(EngineState.Ready, "ok");

    public void Release() => release.TrySetResult();

    public ValueTask InitializeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask<EngineResult> ScanAsync(ScanItem item, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref running);
        Interlocked.Increment(ref Entered);
        int peak;
        while (now > (peak = Volatile.Read(ref Peak)) && Interlocked.CompareExchange(ref Peak, now, peak) != peak)
        {
        }

        try
        {
            await release.Task.WaitAsync(cancellationToken);
            return EngineResult.Clean;
        }
        finally
        {
            Interlocked.Decrement(ref running);
        }
    }
}
