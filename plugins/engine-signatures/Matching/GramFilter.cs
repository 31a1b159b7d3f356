using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// The prefilter for every anchor of one width (2, 3 or 4 bytes): a bitmap over a multiplicative hash of the
/// gram at each position, sized so that about one position in 32 passes by chance, and behind it buckets of the
/// exact grams. The cost per byte is one read, a multiply and one bit test whatever the number of signatures.
/// </summary>
internal sealed class GramFilter
{
    /// <summary>Bits per anchor: keeps chance hits near 3% and the bitmap (128 KiB for 20k anchors) cache-resident.</summary>
    private const int BitsPerAnchor = 32;

    /// <summary>Knuth's multiplicative constant: spreads grams over the high bits that index the bitmap.</summary>
    private const uint Multiplier = 0x9E3779B1;

    private readonly uint _keyMask;
    private readonly int _bitShift;
    private readonly int _bucketShift;
    private readonly ulong[] _bits;
    private readonly int[] _bucketStarts;
    private readonly uint[] _keys;
    private readonly int[] _bodies;

    private GramFilter(int width, IReadOnlyList<(uint Key, int Body)> anchors)
    {
        Width = width;
        _keyMask = GramKeys.Mask(width);
        var bitCount = Math.Clamp(BitOperations.Log2((uint)Math.Max(1, anchors.Count * BitsPerAnchor) - 1) + 1, 10, 24);
        var bucketCount = Math.Clamp(BitOperations.Log2((uint)Math.Max(1, anchors.Count)) + 1, 4, bitCount);
        _bitShift = 32 - bitCount;
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
    public void Scan(ReadOnlySpan<byte> data, int from, int to, CompiledBody[] bodies, ref ScanState state)
    {
        var lastFull = Math.Min(to, data.Length - sizeof(uint) + 1);
        ref var first = ref MemoryMarshal.GetReference(data);
        ref var bits = ref MemoryMarshal.GetArrayDataReference(_bits);
        var keyMask = _keyMask;
        var bitShift = _bitShift;
        var at = from;
        for (; at < lastFull; at++)
        {
            var key = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref first, at)) & keyMask;
            var hash = key * Multiplier;
            var bit = hash >> bitShift;
            if ((Unsafe.Add(ref bits, (int)(bit >> 6)) & (1UL << (int)bit)) != 0)
            {
                Candidates(data, at, key, hash, bodies, ref state);
            }
        }

        // The last positions cannot read four bytes; narrower grams still fit there.
        var lastStart = Math.Min(to, data.Length - Width + 1);
        for (; at < lastStart; at++)
        {
            var key = GramKeys.ReadPadded(data[at..]) & _keyMask;
            Candidates(data, at, key, key * Multiplier, bodies, ref state);
        }
    }

    private void Candidates(ReadOnlySpan<byte> data, int at, uint key, uint hash, CompiledBody[] bodies, ref ScanState state)
    {
        var bucket = (int)(hash >> _bucketShift);
        var end = _bucketStarts[bucket + 1];
        for (var i = _bucketStarts[bucket]; i < end; i++)
        {
            if (_keys[i] != key)
            {
                continue;
            }

            var body = bodies[_bodies[i]];
            if (body.Subsignature >= 0)
            {
                // Logical expressions count matches, so every occurrence of a subsignature is verified.
                if (PatternVerifier.Matches(body, data, at))
                {
                    state.Hits.Add(body.Subsignature);
                }
            }
            else if (!state.Names.Contains(body.NameId) && PatternVerifier.Matches(body, data, at))
            {
                state.Names.Add(body.NameId);
            }
        }
    }

    private void Fill(IReadOnlyList<(uint Key, int Body)> anchors)
    {
        foreach (var (key, _) in anchors)
        {
            var hash = key * Multiplier;
            var bit = hash >> _bitShift;
            _bits[bit >> 6] |= 1UL << (int)bit;
            _bucketStarts[(hash >> _bucketShift) + 1]++;
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
