using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// The prefilter for every anchor of one width (2, 3 or 4 bytes): a blocked Bloom filter over a multiplicative
/// hash of the gram at each position (three bits in one 64-bit word, so one memory read per position), and behind
/// it buckets of the exact grams. The cost per byte is one read, a multiply and one mask test whatever the number
/// of signatures; with three bits per anchor the chance pass rate is about 0.2% at 200,000 anchors, where a single
/// bit per anchor let 3% through and each of those paid two cache misses in the buckets.
/// </summary>
internal sealed class GramFilter
{
    /// <summary>
    /// Bits per anchor before rounding up to a power of two: 20 to 40 bits with three set per anchor keep chance
    /// passes near 0.1-0.3% (measured with bench/engine); the bitmap is 128 KiB for 20k anchors, 1 MiB for 200k.
    /// </summary>
    private const int BitsPerAnchor = 20;

    /// <summary>Knuth's multiplicative constant: spreads grams over the high bits that index the buckets.</summary>
    private const uint Multiplier = 0x9E3779B1;

    /// <summary>The 64-bit golden-ratio constant: its high bits pick the word, its middle bits the three bits.</summary>
    private const ulong WideMultiplier = 0x9E3779B97F4A7C15;

    private readonly uint _keyMask;
    private readonly int _wordShift;
    private readonly int _bucketShift;
    private readonly ulong[] _bits;
    private readonly int[] _bucketStarts;
    private readonly uint[] _keys;
    private readonly int[] _bodies;

    private GramFilter(int width, IReadOnlyList<(uint Key, int Body)> anchors)
    {
        Width = width;
        _keyMask = GramKeys.Mask(width);
        var bitCount = Math.Clamp(BitOperations.Log2((uint)Math.Max(1, anchors.Count * BitsPerAnchor) - 1) + 1, 10, 26);
        var bucketCount = Math.Clamp(BitOperations.Log2((uint)Math.Max(1, anchors.Count)) + 1, 4, bitCount);
        _wordShift = 64 - (bitCount - 6);
        _bucketShift = 32 - bucketCount;
        _bits = new ulong[(1 << bitCount) / 64];
        _bucketStarts = new int[(1 << bucketCount) + 1];
        _keys = new uint[anchors.Count];
        _bodies = new int[anchors.Count];
        Fill(anchors);
    }

    public int Width { get; }

    public static GramFilter? Build(int width, IReadOnlyList<(uint Key, int Body)> anchors) =>
        anchors.Count == 0 ? null : new GramFilter(width, anchors);

    /// <summary>Verifies every anchor hit starting in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public void Scan(ReadOnlySpan<byte> data, int from, int to, CompiledBody[] bodies, PatternStore patterns, ref ScanState state)
    {
        var lastFull = Math.Min(to, data.Length - sizeof(uint) + 1);
        ref var first = ref MemoryMarshal.GetReference(data);
        ref var bits = ref MemoryMarshal.GetArrayDataReference(_bits);
        var keyMask = _keyMask;
        var wordShift = _wordShift;
        var at = from;
        for (; at < lastFull; at++)
        {
            var key = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref first, at)) & keyMask;
            var wide = key * WideMultiplier;
            var mask = BitMask(wide);
            if ((Unsafe.Add(ref bits, (int)(wide >> wordShift)) & mask) == mask)
            {
                Candidates(data, at, key, key * Multiplier, bodies, patterns, ref state);
            }
        }

        // The last positions cannot read four bytes; narrower grams still fit there.
        var lastStart = Math.Min(to, data.Length - Width + 1);
        for (; at < lastStart; at++)
        {
            var key = GramKeys.ReadPadded(data[at..]) & _keyMask;
            Candidates(data, at, key, key * Multiplier, bodies, patterns, ref state);
        }
    }

    /// <summary>
    /// For measurement only (bench/engine): how many positions pass the bitmap and how many of those carry an
    /// anchor's exact gram, without verifying anything.
    /// </summary>
    public (long Passes, long Exact) Probe(ReadOnlySpan<byte> data)
    {
        long passes = 0, exact = 0;
        for (var at = 0; at + sizeof(uint) <= data.Length; at++)
        {
            var key = MemoryMarshal.Read<uint>(data[at..]) & _keyMask;
            var wide = key * WideMultiplier;
            var mask = BitMask(wide);
            if ((_bits[wide >> _wordShift] & mask) != mask)
            {
                continue;
            }

            passes++;
            var bucket = (int)((key * Multiplier) >> _bucketShift);
            exact += _keys.AsSpan(_bucketStarts[bucket], _bucketStarts[bucket + 1] - _bucketStarts[bucket]).Count(key);
        }

        return (passes, exact);
    }

    /// <summary>Three bits of the word, from hash bits 16-33: below any word index, which uses at most the top 20.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong BitMask(ulong wide) =>
        (1UL << (int)(wide >> 16)) | (1UL << (int)(wide >> 22)) | (1UL << (int)(wide >> 28));

    private void Candidates(ReadOnlySpan<byte> data, int at, uint key, uint hash, CompiledBody[] bodies, PatternStore patterns, ref ScanState state)
    {
        var bucket = (int)(hash >> _bucketShift);
        var end = _bucketStarts[bucket + 1];
        for (var i = _bucketStarts[bucket]; i < end; i++)
        {
            if (_keys[i] != key)
            {
                continue;
            }

            ref readonly var body = ref bodies[_bodies[i]];
            if (body.Subsignature >= 0)
            {
                // Logical expressions count matches, so every occurrence of a subsignature is verified.
                if (PatternVerifier.Matches(patterns, body, data, at))
                {
                    state.Hits.Add(body.Subsignature);
                }
            }
            else if (!state.Names.Contains(body.NameId) && PatternVerifier.Matches(patterns, body, data, at))
            {
                state.Names.Add(body.NameId);
            }
        }
    }

    private void Fill(IReadOnlyList<(uint Key, int Body)> anchors)
    {
        foreach (var (key, _) in anchors)
        {
            var wide = key * WideMultiplier;
            _bits[wide >> _wordShift] |= BitMask(wide);
            _bucketStarts[((key * Multiplier) >> _bucketShift) + 1]++;
        }

        for (var i = 1; i < _bucketStarts.Length; i++)
        {
            _bucketStarts[i] += _bucketStarts[i - 1];
        }

        var next = (int[])_bucketStarts.Clone();
        foreach (var (key, body) in anchors)
        {
            var slot = next[(key * Multiplier) >> _bucketShift]++;
            _keys[slot] = key;
            _bodies[slot] = body;
        }
    }
}
