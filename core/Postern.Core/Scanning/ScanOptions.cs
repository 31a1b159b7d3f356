using Postern.Extraction;

namespace Postern.Core.Scanning;

/// <summary>How the host scans one message: limits for decoding and time budgets for engines.</summary>
public sealed record ScanOptions
{
    /// <summary>Decoding limits (depth, files, sizes, ratio).</summary>
    public ScanLimits Limits { get; init; } = ScanLimits.Default;

    /// <summary>The whole message's deadline. 60 s stays well inside Postfix's 300 s smtp_data_done_timeout
    /// and Sendmail's 1 h milter end-of-message timeout, so the MTA hears our tempfail rather than timing out itself.</summary>
    public TimeSpan MessageTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>What one engine may spend on one message, carved from <see cref="MessageTimeout"/>.</summary>
    public TimeSpan EngineTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many messages are scanned at once; the rest wait their turn inside <see cref="MessageTimeout"/>.
    /// A scan is CPU work, so more at once than there are cores only adds memory and makes every message slower (clamd's
    /// MaxThreads, amavis' $max_servers). 0 means one per core.</summary>
    public int MaxConcurrentScans { get; init; }

    /// <summary>The scan slots in force: <see cref="MaxConcurrentScans"/>, or one per core when it is 0.</summary>
    public int ScanSlots => MaxConcurrentScans > 0 ? MaxConcurrentScans : Environment.ProcessorCount;

    /// <summary>Stop at the first finding, as clamscan does without --allmatch. Cleaning needs every finding, so
    /// the mail path turns this off.</summary>
    public bool StopOnFirstFinding { get; init; }

    /// <summary>How many failed calls in <see cref="BreakerSampling"/> open an engine's circuit (with at least
    /// <see cref="BreakerMinimumCalls"/> calls seen); while open, its messages are "not scanned" at once instead of
    /// each waiting out a timeout.</summary>
    public double BreakerFailureRatio { get; init; } = 0.5;

    public int BreakerMinimumCalls { get; init; } = 10;

    public TimeSpan BreakerSampling { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan BreakerDuration { get; init; } = TimeSpan.FromSeconds(15);
}
