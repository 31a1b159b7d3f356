namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// Chooses each body signature's prefilter anchor: the widest plain gram the pattern offers (up to 4 bytes), and
/// of those the rarest-looking one not already taken by many other signatures, so chance hits stay rare. For a
/// strided filter (see <see cref="GramFilter"/>) the anchor is a window of <c>stride</c> overlapping grams, each of
/// which becomes one entry of the filter, picked by the same rule summed over the window.
/// </summary>
internal sealed class AnchorPicker
{
    public const int MaxWidth = 4;

    /// <summary>Each signature already anchored on a gram costs as much as one common byte more.</summary>
    private const int SharedGramPenalty = 4;

    private readonly Dictionary<uint, int> _uses = [];

    /// <summary>The anchor width of a pattern: its longest plain run, up to <see cref="MaxWidth"/>.</summary>
    public static int WidthOf(PatternStore store, int first, int count) => Math.Min(MaxWidth, LongestRun(store, first, count));

    /// <summary>The longest run of plain bytes in any block of a pattern.</summary>
    public static int LongestRun(PatternStore store, int first, int count)
    {
        var run = 0;
        for (var b = 0; b < count; b++)
        {
            run = Math.Max(run, store.Block(first + b).RunLength);
        }

        return run;
    }

    /// <summary>Picks the anchor of the pattern made of <paramref name="count"/> blocks from
    /// <paramref name="first"/> in <paramref name="store"/>; the block is counted from the pattern's first. With a
    /// <paramref name="stride"/> above 1 the anchor is the window of that many grams starting at the offset returned,
    /// and <paramref name="keys"/> receives their keys (it must hold <paramref name="stride"/>); the pattern must have
    /// a plain run of <see cref="WidthOf"/> + stride - 1 bytes.</summary>
    public (int Block, int Offset, int Width) Pick(PatternStore store, int first, int count, int stride, Span<uint> keys)
    {
        var width = WidthOf(store, first, count);
        var span = width + stride - 1;
        var mask = GramKeys.Mask(width);
        var best = (Block: 0, Offset: 0, Width: width);
        var bestScore = int.MaxValue;
        for (var b = 0; b < count; b++)
        {
            ref readonly var block = ref store.Block(first + b);
            var values = store.Values(block);
            var masks = store.Masks(block);
            for (var at = 0; at + span <= block.Length; at++)
            {
                if (!masks.IsEmpty && !IsPlain(masks.Slice(at, span)))
                {
                    continue;
                }

                var commonness = 0;
                for (var j = 0; j < stride; j++)
                {
                    commonness += Commonness(values.Slice(at + j, width));
                }

                if (commonness >= bestScore)
                {
                    // The use count only adds to the score, so this window cannot win: skip its lookups (most
                    // positions of a long pattern end here, which took a large load's anchor picking from about
                    // a tenth of the load's time to next to nothing).
                    continue;
                }

                var score = commonness;
                for (var j = 0; j < stride; j++)
                {
                    score += _uses.GetValueOrDefault(GramKeys.ReadPadded(values.Slice(at + j, width)) & mask) * SharedGramPenalty;
                }

                if (score < bestScore)
                {
                    (best, bestScore) = ((b, at, width), score);
                }
            }
        }

        var chosen = store.Values(store.Block(first + best.Block));
        for (var j = 0; j < stride; j++)
        {
            var key = GramKeys.ReadPadded(chosen[(best.Offset + j)..]) & mask;
            keys[j] = key;
            _uses[key] = _uses.GetValueOrDefault(key) + 1;
        }

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
