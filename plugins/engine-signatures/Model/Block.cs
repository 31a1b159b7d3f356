namespace Postern.Plugins.Engine.Signatures.Model;

/// <summary>
/// A fixed-length run of a body signature between two gaps. Each position has a value and a mask
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

    public ReadOnlySpan<byte> LongestRun => Values.AsSpan(LongestRunOffset, LongestRunLength);

    /// <summary>Whether the block matches <paramref name="data"/> at <paramref name="start"/>; the caller keeps it in range.</summary>
    public bool MatchesAt(ReadOnlySpan<byte> data, int start)
    {
        var window = data.Slice(start, Values.Length);
        if (IsStatic)
        {
            return window.SequenceEqual(Values);
        }

        var values = Values;
        var masks = Masks;
        for (var i = 0; i < values.Length; i++)
        {
            if ((window[i] & masks[i]) != values[i])
            {
                return false;
            }
        }

        foreach (var group in Alternatives)
        {
            if (!group.Matches(window))
            {
                return false;
            }
        }

        return true;
    }

    private static (int Offset, int Length) FindLongestStaticRun(byte[] masks)
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
