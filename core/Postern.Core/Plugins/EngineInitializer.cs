using Postern.Sdk.Scanning;

namespace Postern.Core.Plugins;

/// <summary>
/// Runs <see cref="IScanEngine.InitializeAsync"/> for one plugin's engines, each under a time limit. A plugin that
/// throws, hangs or reports <see cref="EngineState.Failed"/> gets a reason back; the host is never held up longer than
/// the limit, even by an engine that ignores its cancellation token.
/// </summary>
internal sealed class EngineInitializer(TimeSpan timeout, TimeProvider timeProvider)
{
    /// <summary>Returns why the engines could not be put in service, or <c>null</c> when all of them are.</summary>
    public async Task<string?> InitializeAsync(IReadOnlyList<IScanEngine> engines, CancellationToken cancellationToken)
    {
        foreach (var engine in engines)
        {
            if (await InitializeAsync(engine, cancellationToken) is { } failure)
            {
                return failure;
            }
        }

        return null;
    }

    private async Task<string?> InitializeAsync(IScanEngine engine, CancellationToken cancellationToken)
    {
        var name = "?";
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            name = engine.Name;

            // WaitAsync bounds the wait even when the engine never looks at its token.
            await engine.InitializeAsync(linked.Token).AsTask().WaitAsync(timeout, timeProvider, cancellationToken);
            return engine.Status is { State: EngineState.Failed } status
                ? $"engine '{name}' reports Failed after InitializeAsync: {status.Detail}"
                : null;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
            && (ex is TimeoutException || (ex is OperationCanceledException && deadline.IsCancellationRequested)))
        {
            return $"engine '{name}' did not finish InitializeAsync within {timeout.TotalSeconds:0.###} s";
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested) // Plugin boundary: the engine is plugin code.
        {
            return $"engine '{name}' InitializeAsync threw {PluginFailure.Describe(ex)}";
        }
    }
}
