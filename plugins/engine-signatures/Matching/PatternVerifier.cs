using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// Confirms a prefilter candidate: the anchor's block must match where the anchor was seen, the blocks after it
/// must follow within their gaps, the blocks before it must precede within theirs, and the first block must start
/// where the offset allows. Left and right are independent once the anchor block is placed.
/// </summary>
internal static class PatternVerifier
{
    public static bool Matches(PatternStore store, in CompiledBody body, ReadOnlySpan<byte> data, int anchorPosition)
    {
        ref readonly var block = ref store.Block(body.FirstBlock + body.AnchorBlock);
        var start = anchorPosition - body.AnchorOffset;
        if (start < 0 || start > data.Length - block.Length || !store.MatchesAt(block, data, start))
        {
            return false;
        }

        return MatchRight(store, body, data, body.AnchorBlock + 1, start + block.Length)
            && MatchLeft(store, body, data, body.AnchorBlock - 1, start);
    }

    /// <summary>Whether blocks <paramref name="index"/>.. can follow a block that ended at <paramref name="previousEnd"/>.</summary>
    private static bool MatchRight(PatternStore store, in CompiledBody body, ReadOnlySpan<byte> data, int index, int previousEnd)
    {
        if (index == body.BlockCount)
        {
            return true;
        }

        var gap = store.GapAfter(body.FirstBlock + index - 1);
        ref readonly var block = ref store.Block(body.FirstBlock + index);
        var first = (long)previousEnd + gap.Min;
        var last = Math.Min((long)previousEnd + gap.Max, (long)data.Length - block.Length);
        for (var at = first; at <= last; at++)
        {
            at = BlockSearch.Forward(store, block, data, (int)at, (int)last);
            if (at < 0)
            {
                return false;
            }

            if (MatchRight(store, body, data, index + 1, (int)at + block.Length))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether blocks ..<paramref name="index"/> can precede a block that starts at <paramref name="nextStart"/>.</summary>
    private static bool MatchLeft(PatternStore store, in CompiledBody body, ReadOnlySpan<byte> data, int index, int nextStart)
    {
        if (index < 0)
        {
            return body.Offset.Allows(nextStart, data.Length);
        }

        var gap = store.GapAfter(body.FirstBlock + index);
        ref readonly var block = ref store.Block(body.FirstBlock + index);
        var last = (long)nextStart - gap.Min - block.Length;
        var first = Math.Max(0, (long)nextStart - gap.Max - block.Length);
        if (index == 0 && body.Offset.Kind != OffsetKind.Any)
        {
            var low = body.Offset.Kind == OffsetKind.FromStart ? body.Offset.Base : data.Length - body.Offset.Base;
            first = Math.Max(first, low);
            last = Math.Min(last, low + body.Offset.Shift);
        }

        for (var at = last; at >= first; at--)
        {
            at = BlockSearch.Backward(store, block, data, (int)first, (int)at);
            if (at < 0)
            {
                return false;
            }

            if (MatchLeft(store, body, data, index - 1, (int)at))
            {
                return true;
            }
        }

        return false;
    }
}
