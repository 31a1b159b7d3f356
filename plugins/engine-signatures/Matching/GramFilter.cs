using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// The prefilter for every anchor of one width (2, 3 or 4 bytes): a blocked Bloom filter over a multiplicative
/// hash of the gram at each position (four bits in one 64-bit word, the mask taken from <see cref="BitPatterns"/>, so
/// one bitmap read per position), and behind
/// it an open-addressed table of (gram, body) pairs, so that a pass costs one more cache line, not two or three.
/// The cost per byte is one read, a multiply and one mask test whatever the number of signatures. Measured with
/// bench/engine on random data: a single bit per anchor let 3% of positions through at 200,000 anchors, three bits
/// 0.44%, four bits 0.26 to 0.29%.
/// <para>Where the CPU has AVX2 the bitmap has another layout, tested eight positions at a time (see
/// <see cref="ScanVector"/>): 32-bit words with five bits computed from a second multiply, read with one gather per
/// eight positions. Measured on random data, the bitmap loop alone went from 856 to 1,800 MiB/s at 20,000 anchors and
/// from 800 to 1,500 at 200,000, and with 32 bits per anchor it lets fewer positions through (0.05% and 0.08%).</para>
/// <para>The four-byte filter may be strided (see <see cref="Stride"/>): when every signature anchored on four bytes
/// has a plain run of at least 4 + S - 1 bytes, each gives the S overlapping grams of a window of its run, and only
/// every S-th position of the data is tested. Any occurrence covers exactly one tested position with one of its
/// window's grams, at a known shift from the window's start, so the same occurrences are verified at a quarter of the
/// positions for S = 4 (the sampling behind Wu and Manber's multi-pattern search).</para>
/// </summary>
internal sealed class GramFilter
{
    /// <summary>
    /// Bits per anchor before rounding up to a power of two: the bitmap is 64 KiB for 20k anchors, 512 KiB for 200k.
    /// 40 (1 MiB for 200k) passed fewer positions but scanned no faster in bench/engine's drop mode: more cache misses.
    /// </summary>
    private const int BitsPerAnchor = 20;

    /// <summary>Bits per anchor in the vector layout: 128 KiB for 20k anchors, 1 MiB for 200k; its five-bit words pass
    /// 0.05% and 0.08% of random positions at those counts (bench figures in the class remarks).</summary>
    private const int VectorBitsPerAnchor = 32;

    /// <summary>The second multiplier of the vector layout: its top 25 bits pick the five bits in a word.</summary>
    private const uint BitMultiplier = 0x85EBCA77;

    /// <summary>Whether new filters take the vector layout; tests turn it off to check the scalar one.</summary>
    internal static bool UseVector { get; set; } = Avx2.IsSupported;

    /// <summary>Knuth's multiplicative constant: spreads grams over the high bits that pick the home slot.</summary>
    private const uint Multiplier = 0x9E3779B1;

    /// <summary>The 64-bit golden-ratio constant: its high bits pick the word, its middle bits the four bits.</summary>
    private const ulong WideMultiplier = 0x9E3779B97F4A7C15;

    private readonly uint _keyMask;
    private readonly int _wordShift;
    private readonly int _slotShift;
    private readonly ulong[] _bits;

    /// <summary>The vector layout's bitmap (empty in the scalar layout, where <see cref="_bits"/> is used).</summary>
    private readonly uint[] _words;

    private readonly int _vectorShift;

    /// <summary>The vector layout's shuffle: which bytes of the two sixteen-byte loads make each lane's gram.</summary>
    private readonly Vector256<byte> _lanes;

    /// <summary>Gram in the high half; in the low half the body index + 1 below <see cref="ShiftBit"/> and the gram's
    /// shift from the anchor window's start above it. 0 is an empty slot. At most half full.</summary>
    private readonly ulong[] _slots;

    /// <summary>The most grams a strided anchor gives, and the widest step between tested positions.</summary>
    public const int MaxStride = 4;

    /// <summary>The lowest bit of a slot's shift; below it the body index + 1.</summary>
    private const int ShiftBit = 29;

    private const uint BodyMask = (1u << ShiftBit) - 1;

    /// <summary>The strides new filters may take at most; tests set 1 to compare with the dense filter.</summary>
    internal static int StrideLimit { get; set; } = MaxStride;

    private GramFilter(int width, int stride, IReadOnlyList<(uint Key, int Body, int Shift)> anchors)
    {
        Width = width;
        Stride = stride;
        _lanes = Lanes(stride);
        _keyMask = GramKeys.Mask(width);
        var vector = UseVector && Avx2.IsSupported;
        var perAnchor = vector ? VectorBitsPerAnchor : BitsPerAnchor;
        var bitCount = Math.Clamp(BitOperations.Log2((uint)Math.Max(1, anchors.Count * perAnchor) - 1) + 1, 10, 26);
        var slotBits = Math.Max(4, BitOperations.Log2((uint)anchors.Count) + 2);
        _wordShift = 64 - (bitCount - 6);
        _vectorShift = 32 - (bitCount - 5);
        _slotShift = 32 - slotBits;
        _bits = vector ? [] : new ulong[(1 << bitCount) / 64];
        _words = vector ? new uint[(1 << bitCount) / 32] : [];
        _slots = new ulong[1 << slotBits];
        Fill(anchors);
    }

    public int Width { get; }

    /// <summary>The step between tested positions: 1, or the grams each anchor gives. A scan of [from, to) tests
    /// from, from + stride, ... up to to + stride - 2: every window starting in the range has one of them among its
    /// grams' positions, whatever the range's start.</summary>
    public int Stride { get; }

    /// <summary>A filter for <paramref name="anchors"/>: (gram, body, shift of the gram from its anchor window's
    /// start), the shifts of each body 0 to <paramref name="stride"/> - 1. Null when there are none.</summary>
    public static GramFilter? Build(int width, int stride, IReadOnlyList<(uint Key, int Body, int Shift)> anchors) =>
        anchors.Count == 0 ? null : new GramFilter(width, stride, anchors);

    /// <summary>Positions that passed the bitmap, held until their slots are in cache (see <see cref="Scan"/>).</summary>
    private const int PendingMax = 64;

    /// <summary>
    /// Verifies every anchor hit starting in [<paramref name="from"/>, <paramref name="to"/>). A position that passes
    /// the bitmap is not probed at once: its slot's cache line is prefetched and the position queued, and the queue is
    /// probed when full or at the end. With 200,000 anchors the slot table is 4 MiB, so a probe straight after the
    /// pass was a cache miss the loop stood still for; queued, the misses overlap each other and the bitmap loop.
    /// Measured with bench/engine's drop mode (CPU time, best of five, three runs each): raw mail 723 -> 770 MiB per CPU
    /// second with the small database and 577 -> 673 with the large (drop 20% -> 12.6%); random bytes 716 -> 767 and
    /// 530 -> 648. The queue's length (16, 64, 256) made no difference. The order in which hits are verified does not matter: a scan
    /// collects a set of names and counts of subsignature hits.
    /// </summary>
    public unsafe void Scan(ReadOnlySpan<byte> data, int from, int to, CompiledBody[] bodies, PatternStore patterns, ref ScanState state)
    {
        var hits = new Hits(data, from, to, bodies, patterns);
        if (_words.Length > 0)
        {
            ScanVector(ref hits, ref state);
            return;
        }

        // A window starting in [from, to) has its tested gram in [from, to + stride - 1); four bytes must be readable.
        var lastFull = (int)Math.Min((long)to + Stride - 1, data.Length - sizeof(uint) + 1);
        ref var first = ref MemoryMarshal.GetReference(data);
        ref var bits = ref MemoryMarshal.GetArrayDataReference(_bits);
        ref var masks = ref MemoryMarshal.GetArrayDataReference(BitPatterns.Masks);
        var keyMask = _keyMask;
        var wordShift = _wordShift;
        var stride = Stride;
        Span<ulong> pending = stackalloc ulong[PendingMax];
        var count = 0;
        var at = from;
        for (; at < lastFull; at += stride)
        {
            var key = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref first, at)) & keyMask;
            var wide = key * WideMultiplier;
            var mask = BitPatterns.For(ref masks, wide);
            if ((Unsafe.Add(ref bits, (int)(wide >> wordShift)) & mask) == mask)
            {
                Enqueue(ref hits, pending, ref count, at, key, ref state);
            }
        }

        Finish(ref hits, pending[..count], at, ref state);
    }

    /// <summary>
    /// <see cref="Scan"/> in the vector layout. Eight tested positions at a time: sixteen bytes from the first and
    /// sixteen from the fifth (one load when the stride is 1) are shuffled into the eight four-byte grams, two
    /// multiplies give each gram its word (top bits of the first) and five bits (the second's top 25 bits, five at a
    /// time), one gather reads the eight words, and a compare finds the positions whose bits are all set. Those are
    /// queued as in the scalar loop. The positions left at the end take the same test one at a time.
    /// </summary>
    private unsafe void ScanVector(ref Hits hits, ref ScanState state)
    {
        var data = hits.Data;
        var lastFull = (int)Math.Min((long)hits.To + Stride - 1, data.Length - sizeof(uint) + 1);
        ref var first = ref MemoryMarshal.GetReference(data);
        var keyMask = _keyMask;
        var vectorShift = _vectorShift;
        var stride = Stride;
        var upper = UpperLoad(stride);
        Span<ulong> pending = stackalloc ulong[PendingMax];
        var count = 0;
        var at = hits.From;
        fixed (uint* words = _words)
        {
            var grams = _lanes;
            var keys = Vector256.Create(keyMask);
            var wordMultiplier = Vector256.Create(Multiplier);
            var bitMultiplier = Vector256.Create(BitMultiplier);
            var wordShift = Vector256.Create((uint)vectorShift);
            var one = Vector256<uint>.One;
            var low5 = Vector256.Create(31u);
            var step = 8 * stride;

            // Sixteen bytes are read from at and from at + upper, so the loop stops where fewer remain, and where the
            // eighth lane would pass lastFull; the scalar test below takes over.
            for (; at + (7 * stride) < lastFull && at + upper + 16 <= data.Length; at += step)
            {
                var low = Vector128.LoadUnsafe(ref first, (nuint)at);
                var high = upper == 0 ? low : Vector128.LoadUnsafe(ref first, (nuint)(at + upper));
                var key = Avx2.Shuffle(Vector256.Create(low, high), grams).AsUInt32() & keys;
                var word = Avx2.ShiftRightLogicalVariable(Avx2.MultiplyLow(key, wordMultiplier), wordShift);
                var h = Avx2.MultiplyLow(key, bitMultiplier);
                var mask = Avx2.ShiftLeftLogicalVariable(one, Avx2.ShiftRightLogical(h, 27))
                    | Avx2.ShiftLeftLogicalVariable(one, Avx2.ShiftRightLogical(h, 22) & low5)
                    | Avx2.ShiftLeftLogicalVariable(one, Avx2.ShiftRightLogical(h, 17) & low5)
                    | Avx2.ShiftLeftLogicalVariable(one, Avx2.ShiftRightLogical(h, 12) & low5)
                    | Avx2.ShiftLeftLogicalVariable(one, Avx2.ShiftRightLogical(h, 7) & low5);
                var read = Avx2.GatherVector256(words, word.AsInt32(), sizeof(uint)).AsUInt32();
                var passed = (uint)Avx.MoveMask(Avx2.CompareEqual(read & mask, mask).AsSingle());
                while (passed != 0)
                {
                    var position = at + (BitOperations.TrailingZeroCount(passed) * stride);
                    passed &= passed - 1;
                    var gram = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref first, position)) & keyMask;
                    Enqueue(ref hits, pending, ref count, position, gram, ref state);
                }
            }

            for (; at < lastFull; at += stride)
            {
                var gram = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref first, at)) & keyMask;
                var mask = VectorMask(gram);
                if ((words[(gram * Multiplier) >> vectorShift] & mask) == mask)
                {
                    Enqueue(ref hits, pending, ref count, at, gram, ref state);
                }
            }
        }

        Finish(ref hits, pending[..count], at, ref state);
    }

    /// <summary>Queues a position that passed the bitmap after prefetching its slot's cache line; probes the queue
    /// when it is full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe void Enqueue(ref Hits hits, scoped Span<ulong> pending, ref int count, int position, uint key, ref ScanState state)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref _slots[(int)((key * Multiplier) >> _slotShift)]));
        }

        pending[count++] = ((ulong)(uint)position << 32) | key;
        if (count == PendingMax)
        {
            Drain(ref hits, pending, ref state);
            count = 0;
        }
    }

    /// <summary>Probes what is still queued, then (stride 1) the last positions, which cannot read four bytes
    /// (narrower grams still fit there), from <paramref name="at"/> on. A strided filter's grams are four bytes.</summary>
    private void Finish(ref Hits hits, scoped ReadOnlySpan<ulong> pending, int at, ref ScanState state)
    {
        Drain(ref hits, pending, ref state);
        if (Stride > 1)
        {
            return;
        }

        var lastStart = Math.Min(hits.To, hits.Data.Length - Width + 1);
        for (; at < lastStart; at++)
        {
            var key = GramKeys.ReadPadded(hits.Data[at..]) & _keyMask;
            Candidates(ref hits, at, key, ref state);
        }
    }

    /// <summary>Where the upper four lanes' sixteen bytes are loaded from, past the first tested position: the fifth
    /// tested position, or the same load when all eight grams fit in the first sixteen bytes (stride 1).</summary>
    private static int UpperLoad(int stride) => stride == 1 ? 0 : 4 * stride;

    /// <summary>The shuffle that puts lane k's gram (tested position k, stride apart) in its four bytes.</summary>
    private static Vector256<byte> Lanes(int stride)
    {
        Span<byte> lanes = stackalloc byte[32];
        for (var k = 0; k < 4; k++)
        {
            for (var b = 0; b < 4; b++)
            {
                lanes[(k * 4) + b] = (byte)((k * stride) + b);
                lanes[16 + (k * 4) + b] = (byte)((4 * stride) - UpperLoad(stride) + (k * stride) + b);
            }
        }

        return Vector256.Create<byte>(lanes);
    }

    /// <summary>The vector layout's five bits for a gram, one at a time (the loop's tail, filling, probing).</summary>
    private static uint VectorMask(uint gram)
    {
        var h = gram * BitMultiplier;
        return (1u << (int)(h >> 27)) | (1u << (int)((h >> 22) & 31)) | (1u << (int)((h >> 17) & 31))
            | (1u << (int)((h >> 12) & 31)) | (1u << (int)((h >> 7) & 31));
    }

    /// <summary>Whether a gram passes the bitmap, in either layout.</summary>
    private bool Passes(uint key)
    {
        if (_words.Length > 0)
        {
            var mask = VectorMask(key);
            return (_words[(key * Multiplier) >> _vectorShift] & mask) == mask;
        }

        var wide = key * WideMultiplier;
        var bits = BitMask(wide);
        return (_bits[wide >> _wordShift] & bits) == bits;
    }

    private void Drain(ref Hits hits, scoped ReadOnlySpan<ulong> pending, ref ScanState state)
    {
        foreach (var entry in pending)
        {
            Candidates(ref hits, (int)(entry >> 32), (uint)entry, ref state);
        }
    }

    /// <summary>
    /// For measurement only (bench/engine): how many tested positions pass the bitmap and how many of those carry an
    /// anchor's exact gram, without verifying anything.
    /// </summary>
    public (long Passes, long Exact) Probe(ReadOnlySpan<byte> data)
    {
        long passes = 0, exact = 0;
        for (var at = 0; at + sizeof(uint) <= data.Length; at += Stride)
        {
            var key = MemoryMarshal.Read<uint>(data[at..]) & _keyMask;
            if (!Passes(key))
            {
                continue;
            }

            passes++;
            for (var slot = (int)((key * Multiplier) >> _slotShift); _slots[slot] != 0; slot = (slot + 1) & (_slots.Length - 1))
            {
                exact += (uint)(_slots[slot] >> 32) == key ? 1 : 0;
            }
        }

        return (passes, exact);
    }

    private static ulong BitMask(ulong wide) => BitPatterns.For(ref MemoryMarshal.GetArrayDataReference(BitPatterns.Masks), wide);

    /// <summary>Verifies every body with the gram <paramref name="key"/> read at <paramref name="at"/>, at the start
    /// of its anchor window that the gram's shift gives, where that start lies in the scanned range.</summary>
    private void Candidates(ref Hits hits, int at, uint key, ref ScanState state)
    {
        var slotMask = _slots.Length - 1;
        for (var slot = (int)((key * Multiplier) >> _slotShift); ; slot = (slot + 1) & slotMask)
        {
            var entry = _slots[slot];
            if (entry == 0)
            {
                return;
            }

            if ((uint)(entry >> 32) != key)
            {
                continue;
            }

            var low = (uint)entry;
            var start = at - (int)(low >> ShiftBit);
            if (start < hits.From || start >= hits.To)
            {
                // A window that starts before the range belongs to an earlier slice (or a skipped range), one that
                // starts at its end to the next.
                continue;
            }

            ref readonly var body = ref hits.Bodies[(int)(low & BodyMask) - 1];
            if (body.Subsignature >= 0)
            {
                // Logical expressions count matches, so every occurrence of a subsignature is verified.
                if (PatternVerifier.Matches(hits.Patterns, body, hits.Data, start))
                {
                    state.Hits.Add(body.Subsignature);
                }
            }
            else if (!state.Names.Contains(body.NameId) && PatternVerifier.Matches(hits.Patterns, body, hits.Data, start))
            {
                state.Names.Add(body.NameId);
            }
        }
    }

    private void Fill(IReadOnlyList<(uint Key, int Body, int Shift)> anchors)
    {
        var slotMask = _slots.Length - 1;
        foreach (var (key, body, shift) in anchors)
        {
            if (_words.Length > 0)
            {
                _words[(key * Multiplier) >> _vectorShift] |= VectorMask(key);
            }
            else
            {
                var wide = key * WideMultiplier;
                _bits[wide >> _wordShift] |= BitMask(wide);
            }

            // Linear probing keeps the anchors of one gram in insertion order along the probe sequence.
            var slot = (int)((key * Multiplier) >> _slotShift);
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & slotMask;
            }

            _slots[slot] = ((ulong)key << 32) | ((uint)shift << ShiftBit) | (uint)(body + 1);
        }
    }

    /// <summary>What a scan verifies against: the item, the range whose windows count, and the signatures.</summary>
    private readonly ref struct Hits(ReadOnlySpan<byte> data, int from, int to, CompiledBody[] bodies, PatternStore patterns)
    {
        public readonly ReadOnlySpan<byte> Data = data;
        public readonly int From = from;
        public readonly int To = to;
        public readonly CompiledBody[] Bodies = bodies;
        public readonly PatternStore Patterns = patterns;
    }
}
