using System.Text;
using Postern.Sdk.Plugins;
using Postern.Sdk.Scanning;

namespace Postern.TestPlugins.GoodEngine;

internal sealed class MarkerEngine(PluginContext context) : IScanEngine
{
    // A fixed marker keeps the tests independent of any real signature database.
    internal static readonly byte[] Marker = Encoding.ASCII.GetBytes("POSTERN-TEST-MARKER");

    private volatile EngineStatus _status = EngineStatus.NotStarted;

    public string Name => "good";

    public EngineStatus Status => _status;

    public ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        // The detail echoes the plugin's own settings so tests can see what the host passed in.
        var greeting = context.Settings.TryGetValue("greeting", out var value) ? value : "none";
        _status = new EngineStatus(EngineState.Ready, $"greeting={greeting}", SignatureCount: 1);
        return ValueTask.CompletedTask;
    }

    public ValueTask<EngineResult> ScanAsync(ScanItem item, CancellationToken cancellationToken) =>
        ValueTask.FromResult(item.Content.Span.IndexOf(Marker) >= 0
            ? EngineResult.Infected(new Finding("Postern-Test-Marker", Name, item.Path))
            : EngineResult.Clean);
}
