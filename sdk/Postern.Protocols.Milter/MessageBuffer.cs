namespace Postern.Protocols.Milter;

/// <summary>
/// A body collected into one array from <see cref="MilterBuffers.Pool"/> up to a hard limit, with room kept in front
/// of it for the header block (<see cref="ReserveHead"/>), so that <see cref="Join"/> can hand on the whole message
/// without copying the body. Past the limit <see cref="TryAppend"/> refuses and keeps nothing more. The array goes
/// back to the pool on <see cref="Reset"/>. Not thread-safe.
/// </summary>
/// <remarks>It was a list of 64 KiB segments joined into a second array at end of message: every byte was copied
/// twice, and a burst of large messages emptied the pool's 64 KiB bucket, so segments were fresh zeroed arrays. In a
/// Postfix milter run that was a tenth of the daemon's CPU (perf: the join's copy, the segments' copies and zeroing).
/// The array grows by doubling; the MTA's ESMTP SIZE, when known, sizes it at once (<see cref="ExpectedSize"/>).</remarks>
public sealed class MessageBuffer
{
    private const int InitialBody = 64 * 1024;

    private byte[]? array;
    private int headRoom;
    private int start;

    /// <summary>Creates an empty buffer that holds at most <paramref name="limit"/> bytes.</summary>
    public MessageBuffer(long limit) => Limit = limit;

    /// <summary>The most bytes it holds.</summary>
    public long Limit { get; }

    /// <summary>The bytes held.</summary>
    public long Length { get; private set; }

    /// <summary>How large the body is expected to be (the MTA's ESMTP SIZE), to size the array once; 0 when unknown.</summary>
    public long ExpectedSize { get; set; }

    /// <summary>The body as received.</summary>
    public ReadOnlyMemory<byte> Memory => array is null ? ReadOnlyMemory<byte>.Empty : array.AsMemory(start, (int)Length);

    /// <summary>Keeps room for a header block of up to <paramref name="bytes"/> in front of the body; effective before
    /// the first byte is appended.</summary>
    public void ReserveHead(int bytes)
    {
        if (array is null)
        {
            headRoom = Math.Max(0, bytes);
        }
    }

    /// <summary>Appends <paramref name="data"/>, or returns false (keeping nothing of it) when it would pass the limit.</summary>
    public bool TryAppend(ReadOnlySpan<byte> data)
    {
        if (Length + data.Length > Limit)
        {
            return false;
        }

        var end = start + (int)Length;
        if (array is null || array.Length - end < data.Length)
        {
            Grow(Length + data.Length);
            end = start + (int)Length;
        }

        data.CopyTo(array.AsSpan(end));
        Length += data.Length;
        return true;
    }

    /// <summary>Copies the bytes into <paramref name="target"/> (which must hold <see cref="Length"/> bytes).</summary>
    public void CopyTo(Span<byte> target) => Memory.Span.CopyTo(target);

    /// <summary>
    /// The whole message: <paramref name="head"/> and then the body, in one block. The head is written into the room
    /// kept in front of the body when it fits (no copy of the body), else head and body are moved to a new array. The
    /// block is the buffer's own and is valid until <see cref="Reset"/>; <paramref name="bodyOffset"/> is where the
    /// body starts in it.
    /// </summary>
    public ReadOnlyMemory<byte> Join(ReadOnlySpan<byte> head, out int bodyOffset)
    {
        bodyOffset = head.Length;
        if (array is null || head.Length > start)
        {
            var bigger = MilterBuffers.Pool.Rent(checked(head.Length + (int)Length));
            Memory.Span.CopyTo(bigger.AsSpan(head.Length));
            Release();
            (array, start) = (bigger, head.Length);
        }

        head.CopyTo(array.AsSpan(start - head.Length));
        return array.AsMemory(start - head.Length, head.Length + (int)Length);
    }

    /// <summary>Empties the buffer and gives its array back to the pool.</summary>
    public void Reset()
    {
        Release();
        (start, headRoom, Length, ExpectedSize) = (0, 0, 0, 0);
    }

    /// <summary>Empties the buffer without giving the array back: something may still read it (a decision that ran past
    /// its time and goes on in the background), so it is left to the collector.</summary>
    public void Abandon()
    {
        array = null;
        Reset();
    }

    private void Grow(long needed)
    {
        var body = array is null
            ? Math.Max(needed, Math.Min(Math.Max(ExpectedSize, InitialBody), Limit))
            : Math.Max(needed, Math.Min(Length * 2, Limit));
        var bigger = MilterBuffers.Pool.Rent(checked(headRoom + (int)Math.Min(body, Array.MaxLength - headRoom)));
        Memory.Span.CopyTo(bigger.AsSpan(headRoom));
        Release();
        (array, start) = (bigger, headRoom);
    }

    private void Release()
    {
        if (array is not null)
        {
            MilterBuffers.Pool.Return(array);
            array = null;
        }
    }
}
