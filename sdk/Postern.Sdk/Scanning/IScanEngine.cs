namespace Postern.Sdk.Scanning;

/// <summary>
/// A scan engine: looks at one <see cref="ScanItem"/> at a time and says what it found.
/// </summary>
/// <remarks>
/// <para>Threading: after <see cref="InitializeAsync"/> has completed, <see cref="ScanAsync"/> is called
/// concurrently from many threads, for items of the same and of different messages. Implementations must be
/// thread-safe and should not serialise scans behind a lock. <see cref="Status"/> may be read at any time.</para>
/// <para>Errors: the host runs every call under a timeout carved from the message's deadline and behind a circuit
/// breaker. An exception thrown from <see cref="ScanAsync"/>, a timeout, or an open breaker makes the message
/// <see cref="Messages.ScanStatus.NotScanned"/>, never clean, and never hides a finding of another engine. Return
/// <see cref="EngineResult.NotScanned"/> for an item you cannot judge (unsupported, over your own limits);
/// throw only for a real failure. Honour the cancellation token: it fires when the deadline passes.</para>
/// <para>An exception from <see cref="InitializeAsync"/> marks the plugin malfunctioned; the host goes on with
/// the other engines. The host never scans with an engine whose <see cref="Status"/> is not
/// <see cref="EngineState.Ready"/>, and reports such messages as not scanned.</para>
/// </remarks>
public interface IScanEngine
{
    /// <summary>A short, stable name (<c>signatures</c>, <c>clamd</c>) used in findings, logs and configuration.</summary>
    string Name { get; }

    /// <summary>The engine's current state; cheap to read and safe from any thread.</summary>
    EngineStatus Status { get; }

    /// <summary>Loads what the engine needs (databases, connections). Called once before the first scan.</summary>
    /// <param name="cancellationToken">Fires when the host gives up waiting.</param>
    ValueTask InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Scans one item: a decoded MIME part, an archive member, the raw message.</summary>
    /// <param name="item">The item; its content stays valid until the returned task completes, not after.</param>
    /// <param name="cancellationToken">Fires when the message's deadline for this engine passes.</param>
    /// <returns>What was found in this item, or why it was not scanned.</returns>
    ValueTask<EngineResult> ScanAsync(ScanItem item, CancellationToken cancellationToken);
}
