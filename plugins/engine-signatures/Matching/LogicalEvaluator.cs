using System.Numerics;
using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// Evaluates a logical expression over subsignature match counts with ClamAV 1.4's arithmetic: a true node adds
/// its count to its parent's and marks its subsignatures; a false node adds nothing; both sides of an operator are
/// always evaluated; a block condition (<c>(A|B)&gt;X,Y</c>) tests the block's total count and the number of
/// distinct subsignatures in it, and a block that passes adds its count but marks none.
/// </summary>
internal static class LogicalEvaluator
{
    public static bool Evaluate(LogicalNode node, ReadOnlySpan<int> counts)
    {
        long count = 0;
        ulong ids = 0;
        return Evaluate(node, counts, ref count, ref ids);
    }

    private static bool Evaluate(LogicalNode node, ReadOnlySpan<int> counts, ref long count, ref ulong ids)
    {
        if (node.Operator == '\0')
        {
            var value = counts[node.Subsignature];
            var holds = node.Condition == '\0' ? value > 0 : Holds(node.Condition, value, node.Count);
            if (holds)
            {
                count += value;
                ids |= 1UL << node.Subsignature;
            }

            return holds;
        }

        long leftCount = 0, rightCount = 0;
        ulong leftIds = 0, rightIds = 0;
        var left = Evaluate(node.Left!, counts, ref leftCount, ref leftIds);
        var right = Evaluate(node.Right!, counts, ref rightCount, ref rightIds);
        var result = node.Operator == '&' ? left && right : left || right;
        var blockCount = result ? leftCount + rightCount : 0;
        var blockIds = result ? leftIds | rightIds : 0;
        if (node.Condition == '\0')
        {
            count += blockCount;
            ids |= blockIds;
            return result;
        }

        if (!Holds(node.Condition, blockCount, node.Count)
            || (node.Distinct > 0 && BitOperations.PopCount(blockIds) < node.Distinct))
        {
            return false;
        }

        count += blockCount;
        return true;
    }

    private static bool Holds(char condition, long value, int bound) => condition switch
    {
        '=' => value == bound,
        '<' => value < bound,
        _ => value > bound,
    };
}
