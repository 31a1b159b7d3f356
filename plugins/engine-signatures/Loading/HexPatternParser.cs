using System.Globalization;
using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>
/// Reads ClamAV's hex signature grammar: hex bytes, <c>??</c>, <c>a?</c>, <c>?a</c>, <c>*</c>, <c>{n}</c>,
/// <c>{-n}</c>, <c>{n-}</c>, <c>{n-m}</c>, <c>(aa|bb)</c> and <c>!(aa|bb)</c> with options of one width.
/// <c>(B)</c>, <c>(L)</c> and <c>[n-m]</c> are reported as unsupported.
/// </summary>
internal sealed class HexPatternParser
{
    /// <summary>A fixed gap up to this long stays inside its block as wildcards; a longer one splits blocks.</summary>
    private const int InlineGapLimit = 64;

    /// <summary>Gaps past a gigabyte cannot occur in items we scan and would overflow sums.</summary>
    private const int GapLimit = 1 << 30;

    /// <summary>One parser per thread, reused line after line: a large database has 200,000 patterns, and a fresh
    /// parser with its growing lists for each was about a third of the time spent parsing them.</summary>
    [ThreadStatic]
    private static HexPatternParser? t_spare;

    private readonly BlockBuilder _current = new();
    private readonly List<Block> _blocks = [];
    private readonly List<Gap> _gaps = [];
    private string _hex = string.Empty;
    private int _at;
    private int _staticMinimum;

    public static BodyPattern? Parse(string hex, out LineIssue issue, int staticMinimum = PatternRules.StaticMinimum)
    {
        var parser = t_spare ?? new HexPatternParser();
        t_spare = null;
        try
        {
            (parser._hex, parser._at, parser._staticMinimum) = (hex, 0, staticMinimum);
            return parser.Run(out issue) ? new BodyPattern([.. parser._blocks], [.. parser._gaps]) : null;
        }
        finally
        {
            // Everything built was copied out; a failed line may leave a part-built block behind.
            parser._current.Clear();
            parser._blocks.Clear();
            parser._gaps.Clear();
            parser._hex = string.Empty;
            t_spare = parser;
        }
    }

    private bool Run(out LineIssue issue)
    {
        issue = default;
        if (_hex.Length == 0)
        {
            return Fail(IssueKinds.Malformed, "empty hex signature", out issue);
        }

        while (_at < _hex.Length)
        {
            var ok = _hex[_at] switch
            {
                '*' => ReadStar(out issue),
                '{' => ReadGap(out issue),
                '(' => ReadGroup(negated: false, out issue),
                '!' => ReadNegatedGroup(out issue),
                '[' => Fail(IssueKinds.AnchoredRange, "[n-m] byte ranges are not supported", out issue),
                _ => ReadByte(out issue),
            };
            if (!ok)
            {
                return false;
            }
        }

        if (_current.Length == 0)
        {
            return Fail(IssueKinds.GapAtEdge, "the signature ends with a gap", out issue);
        }

        _blocks.Add(_current.Build());
        return PatternRules.Check(_blocks, _staticMinimum, out issue);
    }

    private bool ReadByte(out LineIssue issue)
    {
        issue = default;
        if (_at + 1 >= _hex.Length || !TryNibble(_hex[_at], out var high, out var highMask)
            || !TryNibble(_hex[_at + 1], out var low, out var lowMask))
        {
            return Fail(IssueKinds.Malformed, $"bad hex at character {_at + 1}", out issue);
        }

        _current.Add((byte)((high << 4) | low), (byte)((highMask << 4) | lowMask));
        _at += 2;
        return true;
    }

    private bool ReadStar(out LineIssue issue)
    {
        _at++;
        return EndBlock(new Gap(0, Gap.Unbounded), out issue);
    }

    private bool ReadGap(out LineIssue issue)
    {
        var close = _hex.IndexOf('}', _at);
        if (close < 0 || !TryParseRange(_hex.AsSpan(_at + 1, close - _at - 1), out var gap))
        {
            return Fail(IssueKinds.Malformed, $"bad {{n-m}} gap at character {_at + 1}", out issue);
        }

        _at = close + 1;
        if (gap.Min == gap.Max && gap.Max <= InlineGapLimit)
        {
            _current.AddWildcards(gap.Min);
            issue = default;
            return true;
        }

        return EndBlock(gap, out issue);
    }

    private bool EndBlock(Gap gap, out LineIssue issue)
    {
        issue = default;
        if (_current.Length == 0)
        {
            return _blocks.Count == 0
                ? Fail(IssueKinds.GapAtEdge, "the signature starts with a gap", out issue)
                : Fail(IssueKinds.Malformed, "two gaps in a row", out issue);
        }

        _blocks.Add(_current.Build());
        _gaps.Add(gap);
        return true;
    }

    private bool ReadNegatedGroup(out LineIssue issue)
    {
        if (_at + 1 >= _hex.Length || _hex[_at + 1] != '(')
        {
            return Fail(IssueKinds.Malformed, $"'!' without a group at character {_at + 1}", out issue);
        }

        _at++;
        return ReadGroup(negated: true, out issue);
    }

    private bool ReadGroup(bool negated, out LineIssue issue)
    {
        var close = _hex.IndexOf(')', _at);
        if (close < 0)
        {
            return Fail(IssueKinds.Malformed, $"unclosed group at character {_at + 1}", out issue);
        }

        var body = _hex.AsSpan(_at + 1, close - _at - 1);
        if (body is "B" or "L")
        {
            return Fail(IssueKinds.Boundary, $"({body}) boundaries are not supported", out issue);
        }

        if (!AlternativeReader.TryRead(body, out var width, out var options, out issue))
        {
            return false;
        }

        _current.AddAlternatives(width, options, negated);
        _at = close + 1;
        return true;
    }

    private static bool TryParseRange(ReadOnlySpan<char> text, out Gap gap)
    {
        gap = default;
        var dash = text.IndexOf('-');
        if (dash < 0)
        {
            return TryCount(text, out var exact) && Make(exact, exact, out gap);
        }

        var low = text[..dash];
        var high = text[(dash + 1)..];
        if (low.IsEmpty && high.IsEmpty)
        {
            return false;
        }

        int min = 0, max = Gap.Unbounded;
        return (low.IsEmpty || TryCount(low, out min)) && (high.IsEmpty || TryCount(high, out max))
            && Make(min, max, out gap);
    }

    private static bool Make(int min, int max, out Gap gap)
    {
        gap = new Gap(min, max);
        return min <= max;
    }

    private static bool TryCount(ReadOnlySpan<char> text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= GapLimit;

    internal static bool TryNibble(char c, out int value, out int mask)
    {
        mask = 0xF;
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'a' and <= 'f' => c - 'a' + 10,
            >= 'A' and <= 'F' => c - 'A' + 10,
            '?' => 0,
            _ => -1,
        };
        if (c == '?')
        {
            mask = 0;
        }

        return value >= 0;
    }

    private static bool Fail(string kind, string detail, out LineIssue issue)
    {
        issue = new LineIssue(kind, detail);
        return false;
    }
}
