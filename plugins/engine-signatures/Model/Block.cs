namespace Postern.Plugins.Engine.Signatures.Model;

/// <summary>
/// A fixed-length run of a body signature between two gaps, as parsed; matching runs on its copy in the
/// <see cref="Matching.PatternStore"/>. Each position has a value and a mask
/// (<c>??</c> is mask 0, <c>a?</c> is mask f0); alternative groups cover their positions with mask 0 and are
/// checked after the masked compare.
/// </summary>
internal sealed class Block
{
    public Block(byte[] values, byte[] masks, AlternativeGroup[] alternatives)
    {
        Values = values;
        Masks = masks;
        Alternatives = alternatives;
        IsStatic = alternatives.Length == 0 && Array.TrueForAll(masks, m => m == 0xFF);
        (LongestRunOffset, LongestRunLength) = FindLongestStaticRun(masks);
    }

    public byte[] Values { get; }

    public byte[] Masks { get; }

    public AlternativeGroup[] Alternatives { get; }

    public int Length => Values.Length;

    /// <summary>True when every position is a plain byte, so a match is a plain compare.</summary>
    public bool IsStatic { get; }

    /// <summary>Where the longest run of plain bytes starts: the anchor for prefiltering and searching.</summary>
    public int LongestRunOffset { get; }

    public int LongestRunLength { get; }

    /// <summary>The longest run of plain (mask 0xFF) positions: its offset and length.</summary>
    internal static (int Offset, int Length) FindLongestStaticRun(ReadOnlySpan<byte> masks)
    {
        int bestOffset = 0, bestLength = 0, runStart = 0;
        for (var i = 0; i <= masks.Length; i++)
        {
            if (i < masks.Length && masks[i] == 0xFF)
            {
                continue;
            }

            if (i - runStart > bestLength)
            {
                (bestOffset, bestLength) = (runStart, i - runStart);
            }

            runStart = i + 1;
        }

        return (bestOffset, bestLength);
    }
}
