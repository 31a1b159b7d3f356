namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// Chooses each body signature's prefilter anchor: the widest plain gram the pattern offers (up to 4 bytes), and
/// of those the rarest-looking one not already taken by many other signatures, so chance hits stay rare.
/// </summary>
internal sealed class AnchorPicker
{
    private const int MaxWidth = 4;

    /// <summary>Each signature already anchored on a gram costs as much as one common byte more.</summary>
    private const int SharedGramPenalty = 4;

    private readonly Dictionary<uint, int> _uses = [];

    /// <summary>Picks the anchor of the pattern made of <paramref name="count"/> blocks from
    /// <paramref name="first"/> in <paramref name="store"/>; the block is counted from the pattern's first.</summary>
    public (int Block, int Offset, int Width, uint Key) Pick(PatternStore store, int first, int count)
    {
        var width = 0;
        for (var b = 0; b < count; b++)
        {
            width = Math.Max(width, Math.Min(MaxWidth, store.Block(first + b).RunLength));
        }

        var best = (Block: 0, Offset: 0, Width: width, Key: 0u);
        var bestScore = int.MaxValue;
        for (var b = 0; b < count; b++)
        {
            ref readonly var block = ref store.Block(first + b);
            var values = store.Values(block);
            var masks = store.Masks(block);
            for (var at = 0; at + width <= block.Length; at++)
            {
                if (!masks.IsEmpty && !IsPlain(masks.Slice(at, width)))
                {
                    continue;
                }

                var gram = values.Slice(at, width);
                var commonness = Commonness(gram);
                if (commonness >= bestScore)
                {
                    // The use count only adds to the score, so this gram cannot win: skip its lookup (most
                    // positions of a long pattern end here, which took a large load's anchor picking from about
                    // a tenth of the load's time to next to nothing).
                    continue;
                }

                var key = GramKeys.ReadPadded(gram) & GramKeys.Mask(width);
                var score = commonness + (_uses.GetValueOrDefault(key) * SharedGramPenalty);
                if (score < bestScore)
                {
                    (best, bestScore) = ((b, at, width, key), score);
                }
            }
        }

        _uses[best.Key] = _uses.GetValueOrDefault(best.Key) + 1;
        return best;
    }

    private static bool IsPlain(ReadOnlySpan<byte> masks) => !masks.ContainsAnyExcept((byte)0xFF);

    /// <summary>A rough cost of each byte by how often it fills real files: padding, whitespace, then text.</summary>
    private static int Commonness(ReadOnlySpan<byte> gram)
    {
        var score = 0;
        foreach (var b in gram)
        {
            score += b switch
            {
                0x00 => 8,
                0xFF => 6,
                (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' => 5,
                >= (byte)'a' and <= (byte)'z' => 3,
                >= (byte)'0' and <= (byte)'9' or >= (byte)'A' and <= (byte)'Z' => 3,
                >= 0x21 and <= 0x7E => 2,
                _ => 1,
            };
        }

        return score;
    }
}
