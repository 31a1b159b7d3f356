using Postern.Core.Plugins;
using Postern.Sdk.Messages;

namespace Postern.Core.Tests.Plugins;

/// <summary>A host scanner built the way the real one must be: it takes the engines holder, reads it only when used.</summary>
internal sealed class EngineCountingScanner(ActiveEngines engines) : IMessageScanner
{
    public int EngineCount => engines.Engines.Count;

    public ValueTask<ScanReport> ScanAsync(ScanRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The plugin tests only check that the scanner can see the engines.");
}
