using Postern.Core.Scanning;
using Postern.Sdk.Messages;

namespace Postern.Host.Local;

/// <summary>
/// The scanner of a per-message process (a plugin verb such as <c>postern qmail-queue</c>, or <c>postern mda</c>): the
/// engines load their databases only when the first scan needs them, so a process that hands its message to the
/// daemon never pays for the load. Thread-safe; the load runs once.
/// </summary>
internal sealed class LazyEngineScanner(HostScanner inner, Func<Task> initializeEngines) : IMessageScanner
{
    private readonly Lazy<Task> initialized = new(initializeEngines, LazyThreadSafetyMode.ExecutionAndPublication);

    public async ValueTask<ScanReport> ScanAsync(ScanRequest request, CancellationToken cancellationToken)
    {
        await initialized.Value.WaitAsync(cancellationToken);
        return await inner.ScanAsync(request, cancellationToken);
    }
}
