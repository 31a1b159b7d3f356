using System.Globalization;
using System.Runtime.InteropServices;
using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>
/// Reads ClamAV's hex signature grammar: hex bytes, <c>??</c>, <c>a?</c>, <c>?a</c>, <c>*</c>, <c>{n}</c>,
/// <c>{-n}</c>, <c>{n-}</c>, <c>{n-m}</c>, <c>(aa|bb)</c> and <c>!(aa|bb)</c> with options of one width.
/// <c>(B)</c>, <c>(L)</c> and <c>[n-m]</c> are reported as unsupported.
/// </summary>
/// <remarks>
/// A pattern is read into flat lists the parser keeps (the values and masks of all its blocks, one entry per block,
/// the gaps between them), which then go either into a <see cref="BodyPattern"/> (<see cref="Parse"/>: logical
/// subsignatures, the built-in signature, tests) or straight into a <see cref="BodyStore"/> (<see cref="TryRead"/>:
/// the lines of an <c>.ndb</c> file, where a large database has 200,000 patterns and an object graph for each was
/// most of the load's collector work).
/// </remarks>
internal sealed class HexPatternParser
{
    /// <summary>A fixed gap up to this long stays inside its block as wildcards; a longer one splits blocks.</summary>
    private const int InlineGapLimit = 64;

    /// <summary>Gaps past a gigabyte cannot occur in items we scan and would overflow sums.</summary>
    private const int GapLimit = 1 << 30;

    /// <summary>One parser per thread, reused line after line: a fresh parser with its growing lists for each of a
    /// large database's 200,000 patterns was about a third of the time spent parsing them.</summary>
    [ThreadStatic]
    private static HexPatternParser? t_spare;

    private readonly List<byte> _values = [];
    private readonly List<byte> _masks = [];
    private readonly List<ParsedBlock> _blocks = [];
    private readonly List<AlternativeGroup> _alternatives = [];
    private readonly List<Gap> _gaps = [];
    private int _blockStart;
    private int _blockFirstAlternative;
    private string _hex = string.Empty;
    private int _at;
    private int _end;

    /// <summary>Where the signature starts in <see cref="_hex"/>: positions in messages count from it.</summary>
    private int _first;

    /// <summary>The values of every block read, one after another.</summary>
    public ReadOnlySpan<byte> Values => CollectionsMarshal.AsSpan(_values);

    /// <summary>The masks of every block read, beside <see cref="Values"/>.</summary>
    public ReadOnlySpan<byte> Masks => CollectionsMarshal.AsSpan(_masks);

    /// <summary>The blocks read, in order.</summary>
    public ReadOnlySpan<ParsedBlock> Blocks => CollectionsMarshal.AsSpan(_blocks);

    /// <summary>The alternative groups of every block, offsets counted within their block.</summary>
    public ReadOnlySpan<AlternativeGroup> Alternatives => CollectionsMarshal.AsSpan(_alternatives);

    /// <summary>The gaps: <c>Gaps[i]</c> lies between block i and block i + 1.</summary>
    public ReadOnlySpan<Gap> Gaps => CollectionsMarshal.AsSpan(_gaps);

    /// <summary>Reads <paramref name="hex"/> into a pattern, or null with the reason.</summary>
    public static BodyPattern? Parse(string hex, out LineIssue issue, int staticMinimum = PatternRules.StaticMinimum)
    {
        var parser = Rent();
        try
        {
            return parser.TryRead(hex, 0, hex.Length, staticMinimum, out issue) ? parser.ToPattern() : null;
        }
        finally
        {
            Return(parser);
        }
    }

    /// <summary>This thread's parser; give it back with <see cref="Return"/> once its lists have been copied out.</summary>
    public static HexPatternParser Rent()
    {
        var parser = t_spare ?? new HexPatternParser();
        t_spare = null;
        return parser;
    }

    public static void Return(HexPatternParser parser)
    {
        parser.Reset(string.Empty, 0, 0);
        t_spare = parser;
    }

    /// <summary>Reads the hex signature at <paramref name="start"/> of <paramref name="text"/>, <paramref name="length"/>
    /// characters, into this parser's lists, replacing what they held.</summary>
    public bool TryRead(string text, int start, int length, int staticMinimum, out LineIssue issue)
    {
        Reset(text, start, start + length);
        if (!Run(out issue))
        {
            return false;
        }

        return PatternRules.Check(Blocks, staticMinimum, out issue);
    }

    private void Reset(string text, int start, int end)
    {
        (_hex, _first, _at, _end) = (text, start, start, end);
        _values.Clear();
        _masks.Clear();
        _blocks.Clear();
        _alternatives.Clear();
        _gaps.Clear();
        _blockStart = 0;
        _blockFirstAlternative = 0;
    }

    private BodyPattern ToPattern()
    {
        var blocks = new Block[_blocks.Count];
        for (var b = 0; b < blocks.Length; b++)
        {
            var block = _blocks[b];
            blocks[b] = new Block(
                Values.Slice(block.Start, block.Length).ToArray(),
                PlainMasks.Share(Masks.Slice(block.Start, block.Length)),
                Alternatives.Slice(block.FirstAlternative, block.AlternativeCount).ToArray());
        }

        return new BodyPattern(blocks, [.. _gaps]);
    }

    private int CurrentLength => _values.Count - _blockStart;

    private bool Run(out LineIssue issue)
    {
        issue = default;
        if (_at == _end)
        {
            return Fail(IssueKinds.Malformed, "empty hex signature", out issue);
        }

        while (_at < _end)
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

        if (CurrentLength == 0)
        {
            return Fail(IssueKinds.GapAtEdge, "the signature ends with a gap", out issue);
        }

        CloseBlock();
        return true;
    }

    private void CloseBlock()
    {
        var length = CurrentLength;
        var masks = Masks.Slice(_blockStart, length);
        var alternatives = _alternatives.Count - _blockFirstAlternative;
        var (runOffset, runLength) = Block.FindLongestStaticRun(masks);
        var isStatic = alternatives == 0 && runLength == length;
        _blocks.Add(new ParsedBlock(_blockStart, length, _blockFirstAlternative, alternatives, isStatic, runOffset, runLength));
        _blockStart = _values.Count;
        _blockFirstAlternative = _alternatives.Count;
    }

    private void Add(byte value, byte mask)
    {
        _values.Add((byte)(value & mask));
        _masks.Add(mask);
    }

    private void AddWildcards(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Add(0, 0);
        }
    }

    private bool ReadByte(out LineIssue issue)
    {
        issue = default;
        if (_at + 1 >= _end || !TryNibble(_hex[_at], out var high, out var highMask)
            || !TryNibble(_hex[_at + 1], out var low, out var lowMask))
        {
            return Fail(IssueKinds.Malformed, $"bad hex at character {_at + 1 - _first}", out issue);
        }

        Add((byte)((high << 4) | low), (byte)((highMask << 4) | lowMask));
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
        var close = _hex.IndexOf('}', _at, _end - _at);
        if (close < 0 || !TryParseRange(_hex.AsSpan(_at + 1, close - _at - 1), out var gap))
        {
            return Fail(IssueKinds.Malformed, $"bad {{n-m}} gap at character {_at + 1 - _first}", out issue);
        }

        _at = close + 1;
        if (gap.Min == gap.Max && gap.Max <= InlineGapLimit)
        {
            AddWildcards(gap.Min);
            issue = default;
            return true;
        }

        return EndBlock(gap, out issue);
    }

    private bool EndBlock(Gap gap, out LineIssue issue)
    {
        issue = default;
        if (CurrentLength == 0)
        {
            return _blocks.Count == 0
                ? Fail(IssueKinds.GapAtEdge, "the signature starts with a gap", out issue)
                : Fail(IssueKinds.Malformed, "two gaps in a row", out issue);
        }

        CloseBlock();
        _gaps.Add(gap);
        return true;
    }

    private bool ReadNegatedGroup(out LineIssue issue)
    {
        if (_at + 1 >= _end || _hex[_at + 1] != '(')
        {
            return Fail(IssueKinds.Malformed, $"'!' without a group at character {_at + 1 - _first}", out issue);
        }

        _at++;
        return ReadGroup(negated: true, out issue);
    }

    private bool ReadGroup(bool negated, out LineIssue issue)
    {
        var close = _hex.IndexOf(')', _at, _end - _at);
        if (close < 0)
        {
            return Fail(IssueKinds.Malformed, $"unclosed group at character {_at + 1 - _first}", out issue);
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

        _alternatives.Add(new AlternativeGroup(CurrentLength, width, options, negated));
        AddWildcards(width);
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

/// <summary>One block of the pattern a <see cref="HexPatternParser"/> holds, as positions in its flat lists.</summary>
/// <param name="Start">Where the block's values and masks start.</param>
/// <param name="Length">The block's length.</param>
/// <param name="FirstAlternative">Its first alternative group.</param>
/// <param name="AlternativeCount">How many alternative groups it has.</param>
/// <param name="IsStatic">Every position a plain byte and no alternatives.</param>
/// <param name="RunOffset">Where its longest run of plain bytes starts.</param>
/// <param name="RunLength">The length of that run.</param>
internal readonly record struct ParsedBlock(
    int Start, int Length, int FirstAlternative, int AlternativeCount, bool IsStatic, int RunOffset, int RunLength);
