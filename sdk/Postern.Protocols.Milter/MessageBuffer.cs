namespace Postern.Protocols.Milter;

/// <summary>
/// A body collected in 64 KiB segments up to a hard limit, so a large message never needs one huge growing array
/// while it arrives. Past the limit <see cref="TryAppend"/> refuses and keeps nothing more. The segments come from
/// <see cref="MilterBuffers.Pool"/> and go back on <see cref="Reset"/>. Not thread-safe.
/// </summary>
public sealed class MessageBuffer
{
    private const int SegmentSize = 64 * 1024;
    private readonly List<byte[]> segments = [];
    private int lastUsed;

    /// <summary>Creates an empty buffer that holds at most <paramref name="limit"/> bytes.</summary>
    public MessageBuffer(long limit) => Limit = limit;

    /// <summary>The most bytes it holds.</summary>
    public long Limit { get; }

    /// <summary>The bytes held.</summary>
    public long Length { get; private set; }

    /// <summary>Appends <paramref name="data"/>, or returns false (keeping nothing of it) when it would pass the limit.</summary>
    public bool TryAppend(ReadOnlySpan<byte> data)
    {
        if (Length + data.Length > Limit)
        {
            return false;
        }

        while (!data.IsEmpty)
        {
            if (segments.Count == 0 || lastUsed == SegmentSize)
            {
                segments.Add(MilterBuffers.Pool.Rent(SegmentSize));
                lastUsed = 0;
            }

            var n = Math.Min(data.Length, SegmentSize - lastUsed);
            data[..n].CopyTo(segments[^1].AsSpan(lastUsed));
            lastUsed += n;
            Length += n;
            data = data[n..];
        }

        return true;
    }

    /// <summary>Copies the bytes into <paramref name="target"/> (which must hold <see cref="Length"/> bytes).</summary>
    public void CopyTo(Span<byte> target)
    {
        var at = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            var n = i == segments.Count - 1 ? lastUsed : SegmentSize;
            segments[i].AsSpan(0, n).CopyTo(target[at..]);
            at += n;
        }
    }

    /// <summary>Empties the buffer and gives its segments back to the pool.</summary>
    public void Reset()
    {
        foreach (var segment in segments)
        {
            MilterBuffers.Pool.Return(segment);
        }

        segments.Clear();
        lastUsed = 0;
        Length = 0;
    }
}
