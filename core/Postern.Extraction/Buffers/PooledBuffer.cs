
namespace Postern.Extraction.Buffers;

/// <summary>
/// Decoded bytes in an array rented from the shared pool. The walker yields items over it and returns it once the item's
/// subtree is walked, which is why an item's content is valid only until the next <c>MoveNext</c>.
/// </summary>
internal sealed class PooledBuffer : IDisposable
{
    private byte[]? _array;

    public PooledBuffer(int capacity)
    {
        _array = ScanBuffers.Pool.Rent(Math.Max(capacity, 16));
    }

    public int Length { get; set; }

    public byte[] Array => _array ?? throw new ObjectDisposedException(nameof(PooledBuffer));

    public ReadOnlyMemory<byte> Memory => Array.AsMemory(0, Length);

    public Span<byte> Free => Array.AsSpan(Length);

    /// <summary>Makes room for at least <paramref name="capacity"/> bytes, keeping what is written; doubles, but not past
    /// <paramref name="limit"/> (a buffer that can never hold more than the limit needs no room beyond it).</summary>
    public void Grow(int capacity, long limit = int.MaxValue)
    {
        if (capacity <= Array.Length)
        {
            return;
        }

        // Doubling keeps a buffer filled in small steps linear in its final size.
        var size = Math.Min(Math.Min(Array.Length * 2L, Math.Max(limit, capacity)), System.Array.MaxLength);
        var bigger = ScanBuffers.Pool.Rent((int)Math.Max(size, capacity));
        Array.AsSpan(0, Length).CopyTo(bigger);
        ScanBuffers.Pool.Return(Array);
        _array = bigger;
    }

    public void Dispose()
    {
        if (_array is not null)
        {
            ScanBuffers.Pool.Return(_array);
            _array = null;
        }
    }
}
