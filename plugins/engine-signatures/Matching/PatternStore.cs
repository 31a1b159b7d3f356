using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// Every body pattern of a database in a few flat arrays: one blob of byte values and masks, one array of blocks
/// and one of gaps (the gap after block i sits at index i). Replaces about ten objects per signature (a block
/// object with three arrays per block) with nothing per signature, which took the 200,000-signature database
/// from about 90 MiB of body objects to about 15 MiB. Immutable once built.
/// </summary>
internal sealed class PatternStore
{
    private readonly byte[] _bytes;
    private readonly StoredBlock[] _blocks;
    private readonly Gap[] _gaps;
    private readonly AlternativeGroup[] _alternatives;

    private PatternStore(byte[] bytes, StoredBlock[] blocks, Gap[] gaps, AlternativeGroup[] alternatives)
    {
        _bytes = bytes;
        _blocks = blocks;
        _gaps = gaps;
        _alternatives = alternatives;
    }

    public ref readonly StoredBlock Block(int index) => ref _blocks[index];

    /// <summary>The gap after block <paramref name="index"/>, before the next block of the same pattern.</summary>
    public Gap GapAfter(int index) => _gaps[index];

    /// <summary>Whether the block matches <paramref name="data"/> at <paramref name="start"/>; the caller keeps it in range.</summary>
    public bool MatchesAt(in StoredBlock block, ReadOnlySpan<byte> data, int start)
    {
        var window = data.Slice(start, block.Length);
        var values = _bytes.AsSpan(block.Values, block.Length);
        if (block.Masks < 0)
        {
            return window.SequenceEqual(values);
        }

        var masks = _bytes.AsSpan(block.Masks, block.Length);
        for (var i = 0; i < values.Length; i++)
        {
            if ((window[i] & masks[i]) != values[i])
            {
                return false;
            }
        }

        for (var g = block.FirstAlternative; g < block.FirstAlternative + block.Alternatives; g++)
        {
            if (!_alternatives[g].Matches(window))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The block's longest plain run: what <see cref="BlockSearch"/> looks for with a vectorised search.</summary>
    public ReadOnlySpan<byte> Run(in StoredBlock block) => _bytes.AsSpan(block.Values + block.RunOffset, block.RunLength);

    /// <summary>
    /// Collects patterns in order into arrays sized up front from all the patterns, so that a large load neither
    /// grows lists by copying nor copies them once more at the end. <see cref="Add"/> returns the pattern's first block.
    /// </summary>
    internal sealed class Builder
    {
        private readonly byte[] _bytes;
        private readonly StoredBlock[] _blocks;
        private readonly Gap[] _gaps;
        private readonly AlternativeGroup[] _alternatives;
        private int _byteCount;
        private int _blockCount;
        private int _alternativeCount;

        public Builder(IEnumerable<BodyPattern> patterns)
        {
            int bytes = 0, blocks = 0, alternatives = 0;
            foreach (var pattern in patterns)
            {
                foreach (var block in pattern.Blocks)
                {
                    bytes += block.IsStatic ? block.Length : 2 * block.Length;
                    blocks++;
                    alternatives += block.Alternatives.Length;
                }
            }

            _bytes = new byte[bytes];
            _blocks = new StoredBlock[blocks];
            _gaps = new Gap[blocks];
            _alternatives = new AlternativeGroup[alternatives];
        }

        public int Add(BodyPattern pattern)
        {
            var first = _blockCount;
            for (var b = 0; b < pattern.Blocks.Length; b++)
            {
                var block = pattern.Blocks[b];
                var values = Append(block.Values);
                var masks = block.IsStatic ? -1 : Append(block.Masks);
                _blocks[_blockCount] = new StoredBlock(values, masks, block.Length, block.LongestRunOffset,
                    block.LongestRunLength, _alternativeCount, block.Alternatives.Length);
                _gaps[_blockCount++] = b < pattern.Gaps.Length ? pattern.Gaps[b] : default;
                block.Alternatives.CopyTo(_alternatives, _alternativeCount);
                _alternativeCount += block.Alternatives.Length;
            }

            return first;
        }

        public PatternStore Build() => new(_bytes, _blocks, _gaps, _alternatives);

        private int Append(byte[] bytes)
        {
            var at = _byteCount;
            bytes.CopyTo(_bytes, at);
            _byteCount += bytes.Length;
            return at;
        }
    }
}
