namespace Postern.Extraction.Buffers;

/// <summary>
/// Tracks the output of one container against its compressed size, so that a bomb is stopped by its ratio within the
/// first <see cref="ScanLimits.RatioFloorBytes"/> instead of by the (much larger) size budgets.
/// </summary>
internal sealed class RatioGuard(long compressedBytes, ScanLimits limits)
{
    public long Expanded { get; private set; }

    /// <summary>Bytes this container may still produce before its ratio passes the limit.</summary>
    public long Allowance
    {
        get
        {
            var byRatio = limits.MaxRatio * Math.Max(1, compressedBytes);
            var allowed = Math.Max(limits.RatioFloorBytes, byRatio >= long.MaxValue ? long.MaxValue : (long)byRatio);
            return Math.Max(0, allowed - Expanded);
        }
    }

    public void Add(long bytes) => Expanded += bytes;
}
