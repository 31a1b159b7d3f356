namespace Postern.Extraction.Buffers;

/// <summary>
/// Reads a decoder's output in bounded chunks into a pooled buffer and stops the moment a limit passes, so a bomb costs
/// at most the smallest of the item, scan and ratio allowances in memory and time.
/// </summary>
internal static class BoundedReader
{
    // 64 KiB: large enough to keep decoder call overhead small, small enough that overshooting a limit costs nothing.
    private const int ChunkBytes = 64 * 1024;

    // Untrusted size hints (archive headers) only pre-size the buffer up to this; past it the buffer grows by doubling.
    private const int MaxPresizeBytes = 8 * 1024 * 1024;

    public static BoundedRead Read(Stream source, long sizeHint, ExtractionContext context, ScanLimits limits, RatioGuard? guard)
    {
        var (cap, capReason) = Cap(context, limits, guard);
        var initial = (int)Math.Clamp(sizeHint + 1, ChunkBytes, Math.Min(MaxPresizeBytes, cap + 1));
        var buffer = new PooledBuffer(initial);
        string? reason = null;
        try
        {
            reason = Fill(source, buffer, cap, capReason, context.CancellationToken);
        }
        catch (Exception ex) when (DecoderFailure.IsDecoderFault(ex, context.CancellationToken))
        {
            // Decoder boundary: SharpCompress and the BCL decoders throw on malformed input (even IndexOutOfRange);
            // what was decoded before the fault is still scanned.
            reason = DecoderFailure.Describe(ex);
        }

        context.ChargeBytes(buffer.Length);
        guard?.Add(buffer.Length);
        return new BoundedRead(buffer, reason);
    }

    private static (long Cap, string Reason) Cap(ExtractionContext context, ScanLimits limits, RatioGuard? guard)
    {
        var cap = limits.MaxItemBytes;
        var reason = "size limit";
        if (context.RemainingBytes < cap)
        {
            (cap, reason) = (context.RemainingBytes, "total size limit");
        }

        if (guard is not null && guard.Allowance < cap)
        {
            (cap, reason) = (guard.Allowance, "expansion ratio limit");
        }

        return (Math.Min(cap, Array.MaxLength - 1), reason);
    }

    private static string? Fill(Stream source, PooledBuffer buffer, long cap, string capReason, CancellationToken token)
    {
        while (true)
        {
            token.ThrowIfCancellationRequested();
            if (buffer.Length >= cap)
            {
                Span<byte> probe = stackalloc byte[1];
                return source.Read(probe) > 0 ? capReason : null;
            }

            if (buffer.Free.Length == 0)
            {
                buffer.Grow(buffer.Length + 1, cap + 1);
            }

            var room = (int)Math.Min(Math.Min(buffer.Free.Length, ChunkBytes), cap - buffer.Length);
            var read = source.Read(buffer.Free[..room]);
            if (read <= 0)
            {
                return null;
            }

            buffer.Length += read;
        }
    }
}
