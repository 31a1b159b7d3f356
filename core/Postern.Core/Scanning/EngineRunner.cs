using Polly;
using Polly.CircuitBreaker;
using Postern.Sdk.Scanning;

namespace Postern.Core.Scanning;

/// <summary>
/// Calls one engine under its time budget and behind its circuit breaker, and turns every way it can fail into
/// a "not scanned" result: the pipeline never sees an exception from an engine.
/// </summary>
internal sealed class EngineRunner
{
    private readonly IScanEngine engine;
    private readonly ResiliencePipeline<EngineResult> breaker;
    private readonly TimeProvider time;

    public EngineRunner(IScanEngine engine, ScanOptions options, TimeProvider time)
    {
        this.engine = engine;
        this.time = time;
        breaker = new ResiliencePipelineBuilder<EngineResult> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<EngineResult>
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = Math.Max(2, options.BreakerMinimumCalls),
                SamplingDuration = options.BreakerSampling,
                BreakDuration = options.BreakerDuration,
                ShouldHandle = new PredicateBuilder<EngineResult>().Handle<Exception>(e => e is not OperationCanceledException),
            })
            .Build();
    }

    public string Name => engine.Name;

    public IScanEngine Engine => engine;

    /// <summary>Scans one item. <paramref name="budget"/> is what is left of this engine's share of the message;
    /// <paramref name="messageToken"/> fires at the message deadline or when the caller gives up.</summary>
    public async ValueTask<EngineResult> RunAsync(ScanItem item, TimeSpan budget, CancellationToken messageToken)
    {
        if (budget <= TimeSpan.Zero)
        {
            return EngineResult.NotScanned($"engine {engine.Name}: time limit");
        }

        try
        {
            return await breaker.ExecuteAsync(
                static (s, ct) => s.Self.CallAsync(s.Item, s.Budget, ct),
                (Self: this, Item: item, Budget: budget),
                messageToken);
        }
        catch (BrokenCircuitException)
        {
            return EngineResult.NotScanned($"engine {engine.Name}: unavailable (circuit open after repeated failures)");
        }
        catch (TimeoutException)
        {
            return EngineResult.NotScanned($"engine {engine.Name}: timed out");
        }
        catch (OperationCanceledException) when (!messageToken.IsCancellationRequested)
        {
            return EngineResult.NotScanned($"engine {engine.Name}: cancelled itself");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Plugin boundary: whatever an engine throws is its failure, never the message's verdict.
            return EngineResult.NotScanned($"engine {engine.Name}: failed: {e.GetType().Name}: {e.Message}");
        }
    }

    private async ValueTask<EngineResult> CallAsync(ScanItem item, TimeSpan budget, CancellationToken token)
    {
        var pending = engine.ScanAsync(item, token);
        if (pending.IsCompletedSuccessfully)
        {
            return pending.Result ?? throw new InvalidOperationException("engine returned null");
        }

        // WaitAsync gives up on an engine that ignores its token; the token still tells it to stop.
        var result = await pending.AsTask().WaitAsync(budget, time, token);
        return result ?? throw new InvalidOperationException("engine returned null");
    }
}
