using Postern.Sdk.Scanning;

namespace Postern.TestPlugins.ThrowingEngine;

internal sealed class ThrowingEngine : IScanEngine
{
    private volatile EngineStatus _status = EngineStatus.NotStarted;

    public string Name => "throwing";

    public EngineStatus Status => _status;

    public ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        _status = new EngineStatus(EngineState.Ready, "ready to fail");
        return ValueTask.CompletedTask;
    }

    public ValueTask<EngineResult> ScanAsync(ScanItem item, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"throwing-engine fails on purpose while scanning '{item.Path}'");
}
