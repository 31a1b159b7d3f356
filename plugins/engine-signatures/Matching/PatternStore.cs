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

    /// <summary>Takes the arrays as they are; <see cref="Loading.BodyStore"/> fills them as it reads an <c>.ndb</c> file.</summary>
    internal PatternStore(byte[] bytes, StoredBlock[] blocks, Gap[] gaps, AlternativeGroup[] alternatives)
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

    /// <summary>The block's values (a masked position holds its value with the mask applied).</summary>
    public ReadOnlySpan<byte> Values(in StoredBlock block) => _bytes.AsSpan(block.Values, block.Length);

    /// <summary>The block's masks; empty for a block of plain bytes.</summary>
    public ReadOnlySpan<byte> Masks(in StoredBlock block) =>
        block.Masks < 0 ? default : _bytes.AsSpan(block.Masks, block.Length);

    /// <summary>The block's longest plain run: what <see cref="BlockSearch"/> looks for with a vectorised search.</summary>
    public ReadOnlySpan<byte> Run(in StoredBlock block) => _bytes.AsSpan(block.Values + block.RunOffset, block.RunLength);
}
