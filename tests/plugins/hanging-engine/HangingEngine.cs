using Postern.Sdk.Scanning;

namespace Postern.TestPlugins.HangingEngine;

internal sealed class HangingEngine(bool hangInInit, bool honourCancellation) : IScanEngine
{
    private volatile EngineStatus _status = EngineStatus.NotStarted;

    public string Name => "hanging";

    public EngineStatus Status => _status;

    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        if (hangInInit)
        {
            await HangAsync(cancellationToken);
        }

        _status = new EngineStatus(EngineState.Ready, $"hangs in scan; honours cancellation: {honourCancellation}");
    }

    public async ValueTask<EngineResult> ScanAsync(ScanItem item, CancellationToken cancellationToken)
    {
        await HangAsync(cancellationToken);
        return EngineResult.Clean;
    }

    private Task HangAsync(CancellationToken cancellationToken) =>
        Task.Delay(Timeout.InfiniteTimeSpan, honourCancellation ? cancellationToken : CancellationToken.None);
}
