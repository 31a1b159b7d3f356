using System.Globalization;
using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>
/// Reads a logical expression the way ClamAV 1.4 groups it, which is not the textbook way: at the top level the
/// first operator splits (<c>0&amp;1|2</c> is <c>0&amp;(1|2)</c>), inside one pair of parentheses the last one
/// does (<c>(0&amp;1|2)</c> is <c>(0&amp;1)|2</c>). A count after a single reference takes no <c>,Y</c>; ClamAV
/// reads and ignores it there, and so do we.
/// </summary>
internal static class LogicalExpressionParser
{
    private const int MaxDepth = 64;

    public static LogicalNode? Parse(string text, out string error)
    {
        error = string.Empty;
        try
        {
            return Parse(text, 0, text.Length, 0);
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }
    }

    private static LogicalNode Parse(string s, int start, int end, int depthBudget)
    {
        if (start >= end)
        {
            throw new FormatException("an operand is missing");
        }

        if (depthBudget > MaxDepth)
        {
            throw new FormatException("the expression nests too deeply");
        }

        var depth = 0;
        var innerOperator = -1;
        for (var i = start; i < end; i++)
        {
            switch (s[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth = depth > 0 ? depth - 1 : throw new FormatException($"')' without '(' at {i + 1}");
                    if (depth == 0 && innerOperator >= 0)
                    {
                        var after = ReadCondition(s, i + 1, end, out var condition, out var count, out var distinct);
                        if (after == end)
                        {
                            return LogicalNode.Combine(s[innerOperator],
                                Parse(s, start + 1, innerOperator, depthBudget + 1),
                                Parse(s, innerOperator + 1, i, depthBudget + 1), condition, count, distinct);
                        }

                        i = after - 1;
                    }

                    break;
                case '&' or '|':
                    if (depth == 0)
                    {
                        return LogicalNode.Combine(s[i], Parse(s, start, i, depthBudget + 1),
                            Parse(s, i + 1, end, depthBudget + 1), '\0', 0, 0);
                    }

                    if (depth == 1)
                    {
                        innerOperator = i;
                    }

                    break;
            }
        }

        if (depth != 0)
        {
            throw new FormatException("'(' without ')'");
        }

        return s[start] == '(' ? Parse(s, start + 1, end - 1, depthBudget + 1) : Reference(s, start, end);
    }

    private static LogicalNode Reference(string s, int start, int end)
    {
        var digits = start;
        while (digits < end && char.IsAsciiDigit(s[digits]))
        {
            digits++;
        }

        if (digits == start || !int.TryParse(s.AsSpan(start, digits - start), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || id >= LogicalSignatureLimits.MaxSubsignatures)
        {
            throw new FormatException($"'{s[start..end]}' is not a subsignature index below {LogicalSignatureLimits.MaxSubsignatures}");
        }

        if (ReadCondition(s, digits, end, out var condition, out var count, out _) != end)
        {
            throw new FormatException($"unexpected text after subsignature {id}: '{s[digits..end]}'");
        }

        return LogicalNode.Reference(id, condition, count);
    }

    /// <summary>Reads an optional <c>=X</c>, <c>&gt;X</c>, <c>&lt;X</c>, each with an optional <c>,Y</c>; returns where it stopped.</summary>
    private static int ReadCondition(string s, int at, int end, out char condition, out int count, out int distinct)
    {
        condition = '\0';
        count = 0;
        distinct = 0;
        if (at >= end || s[at] is not ('=' or '<' or '>'))
        {
            return at;
        }

        condition = s[at];
        at = ReadNumber(s, at + 1, end, out count);
        if (at < end && s[at] == ',')
        {
            at = ReadNumber(s, at + 1, end, out distinct);
        }

        return at;
    }

    private static int ReadNumber(string s, int at, int end, out int value)
    {
        var digits = at;
        while (digits < end && char.IsAsciiDigit(s[digits]))
        {
            digits++;
        }

        if (!int.TryParse(s.AsSpan(at, digits - at), NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            throw new FormatException($"a number is missing at {at + 1}");
        }

        return digits;
    }
}
