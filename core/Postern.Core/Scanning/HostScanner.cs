using Microsoft.Extensions.Logging;
using Postern.Core.Plugins;
using Postern.Sdk.Messages;
using Postern.Sdk.Scanning;

namespace Postern.Core.Scanning;

/// <summary>
/// The <see cref="IMessageScanner"/> registered in the host container. Plugins are activated from that container
/// before the engines exist, so it builds its <see cref="ScanPipeline"/> on first use from the engines the plugin host
/// published (<see cref="ActiveEngines"/>), never in its constructor.
/// </summary>
public sealed class HostScanner(ActiveEngines engines, ScanOptions options, TimeProvider time, ILoggerFactory loggers) : IMessageScanner
{
    private readonly Lazy<ScanPipeline> pipeline = new(
        () => new ScanPipeline(engines.Engines, options, time, loggers.CreateLogger<ScanPipeline>()),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The engines in service, in the order they scan.</summary>
    public IReadOnlyList<IScanEngine> Engines => pipeline.Value.Engines;

    /// <summary>The options scans run with.</summary>
    public ScanOptions Options => options;

    public ValueTask<ScanReport> ScanAsync(ScanRequest request, CancellationToken cancellationToken) =>
        pipeline.Value.ScanAsync(request, cancellationToken);
}
