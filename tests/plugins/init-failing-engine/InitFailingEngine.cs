using Postern.Sdk.Scanning;

namespace Postern.TestPlugins.InitFailingEngine;

internal sealed class InitFailingEngine : IScanEngine
{
    public string Name => "init-failing";

    public EngineStatus Status { get; } = EngineStatus.NotStarted;

    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        // Fails after a yield so the host sees a faulted task, not a synchronous throw.
        await Task.Yield();
        throw new InvalidDataException("signature database is corrupt (on purpose)");
    }

    public ValueTask<EngineResult> ScanAsync(ScanItem item, CancellationToken cancellationToken) =>
        ValueTask.FromResult(EngineResult.Clean);
}
