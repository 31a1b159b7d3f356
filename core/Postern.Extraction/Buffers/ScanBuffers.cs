using System.Buffers;

namespace Postern.Extraction.Buffers;

/// <summary>
/// The pool decoded bytes live in. Not <see cref="ArrayPool{T}.Shared"/>: that pool keeps up to eight arrays per size
/// per core plus one per thread, so a scanner that touches every size from 16 B to megabytes parks well over 100 MiB
/// in it (measured: 156 MiB of retained large arrays after one corpus run). See <see cref="ScanBufferPool"/>.
/// </summary>
public static class ScanBuffers
{
    private static readonly ScanBufferPool Shared = new(ScanBufferPool.DefaultIdleBudget);

    public static ArrayPool<byte> Pool => Shared;

    /// <summary>The shared pool's idle budget: the host sets it from <c>scan_buffer_cache</c> at start. More keeps a
    /// large message's buffers for the next one instead of allocating them afresh: with 32 MiB, `postern scan -j 2` of a
    /// 1000-message gen_corpus set (seed 7) took 2.56-2.62 s of CPU against 2.85-3.24 s, and peaked at 114 against
    /// 98-101 MiB; `postern serve` as a Postfix milter on the same set showed no difference beyond its noise
    /// (2.5-3.1 s of daemon CPU either way, 17 MiB more RSS), so the default stays at 4 MiB everywhere.</summary>
    public static long IdleBudget
    {
        get => Shared.IdleBudget;
        set => Shared.IdleBudget = value;
    }
}

/// <summary>
/// Small arrays (up to <see cref="LargeThreshold"/>) come from a pool of two per power-of-two size. Large ones are
/// sized in steps of <see cref="LargeThreshold"/>, handed out best fit from whatever is idle (a 3 MiB need may take an
/// idle 4 MiB array), and at most <see cref="IdleBudget"/> bytes of them are kept idle, whatever their sizes.
/// </summary>
/// <remarks>
/// Every idle array is resident memory, and a large one lives on the collector's large-object heap, which keeps the
/// pages of a dropped array until a full collection. Two arrays per power-of-two size up to 4 MiB (the pool before
/// this one) kept up to 14 MiB of large arrays idle, a power of two wasted a quarter of each array on average, and two
/// scans of large messages at once still needed more 4 MiB arrays than it kept, so it dropped some anyway. Measured on
/// the seed-1 set (`postern scan -j 2`, three interleaved runs each): peak RSS 120-128 MiB before, 109-114 MiB with an
/// 8 MiB budget, user plus system CPU within the runs' noise; see <see cref="DefaultIdleBudget"/> for 4 MiB.
/// </remarks>
public sealed class ScanBufferPool : ArrayPool<byte>
{
    /// <summary>128 KiB: above it an array is large, and large sizes go in steps of this. The large-object heap starts
    /// at 85,000 bytes, so the small pool keeps only two such arrays of one size. Measured against 512 KiB (three
    /// interleaved runs, seed-1 set, 4 MiB budget): peak RSS 97-100 against 103-104 MiB; CPU within the noise, and
    /// no slower on the large database.</summary>
    public const int LargeThreshold = 128 * 1024;

    /// <summary>4 MiB: room for the decoded attachment of one large message between scans. Measured against 8 MiB
    /// (four interleaved pairs, seed-1 set): peak RSS 101-104 against 107-109 MiB, for 5-10% more CPU on that set and
    /// about 2% on the large database's.</summary>
    public const long DefaultIdleBudget = 4L * 1024 * 1024;

    private readonly ArrayPool<byte> _small = Create(LargeThreshold, 2);
    private readonly List<byte[]> _idle = [];
    private long _idleBytes;
    private long _idleBudget;

    public ScanBufferPool(long idleBudget)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(idleBudget);
        _idleBudget = idleBudget;
    }

    /// <summary>The most bytes of large arrays kept idle; a lower budget takes effect at the next return.</summary>
    public long IdleBudget
    {
        get => Volatile.Read(ref _idleBudget);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Volatile.Write(ref _idleBudget, value);
        }
    }

    /// <summary>Bytes of large arrays idle now.</summary>
    public long IdleBytes
    {
        get
        {
            lock (_idle)
            {
                return _idleBytes;
            }
        }
    }

    public override byte[] Rent(int minimumLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minimumLength);
        if (minimumLength <= LargeThreshold)
        {
            return _small.Rent(minimumLength);
        }

        lock (_idle)
        {
            // Kept in ascending length, so the first that fits is the best fit.
            for (var i = 0; i < _idle.Count; i++)
            {
                if (_idle[i].Length >= minimumLength)
                {
                    var array = _idle[i];
                    _idle.RemoveAt(i);
                    _idleBytes -= array.Length;
                    return array;
                }
            }
        }

        // Uninitialised: a renter writes before it reads, as with every pooled array.
        var size = Math.Min(((long)minimumLength + LargeThreshold - 1) / LargeThreshold * LargeThreshold, Array.MaxLength);
        return GC.AllocateUninitializedArray<byte>((int)size);
    }

    public override void Return(byte[] array, bool clearArray = false)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Length <= LargeThreshold)
        {
            _small.Return(array, clearArray);
            return;
        }

        if (clearArray)
        {
            Array.Clear(array);
        }

        lock (_idle)
        {
            var at = 0;
            while (at < _idle.Count && _idle[at].Length < array.Length)
            {
                at++;
            }

            _idle.Insert(at, array);
            _idleBytes += array.Length;

            // Over the budget, the smallest arrays go first: a larger one serves any request a smaller one would.
            while (_idleBytes > IdleBudget)
            {
                _idleBytes -= _idle[0].Length;
                _idle.RemoveAt(0);
            }
        }
    }
}
