using System.Globalization;
using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>Reads one <c>.ndb</c> line: <c>Name:TargetType:Offset:HexSignature[:MinFL[:MaxFL]]</c>.</summary>
internal static class NdbLineParser
{
    private const int MaxFields = 6;

    /// <summary>Parses a line into a record; for tests, where lines are few.</summary>
    public static LineOutcome Parse(string line, out BodySignature? signature, out LineIssue issue)
    {
        signature = null;
        Span<Range> fields = stackalloc Range[MaxFields];
        var outcome = Read(line, fields, out var offset, out issue);
        if (outcome != LineOutcome.Signature)
        {
            return outcome;
        }

        var pattern = HexPatternParser.Parse(line[fields[3]], out issue);
        if (pattern is null)
        {
            return LineOutcome.Unsupported;
        }

        signature = new BodySignature(line[fields[0]], offset, pattern);
        return LineOutcome.Signature;
    }

    /// <summary>Parses a line straight into <paramref name="store"/>, unless <paramref name="ignored"/> says its
    /// name is on an ignore list (then <paramref name="wasIgnored"/> is set and nothing is stored). Makes no
    /// object for the line: its fields are read in place and its pattern goes from this thread's parser into the store.</summary>
    public static LineOutcome ParseInto(string line, BodyStore store, Func<string, bool>? ignored, out bool wasIgnored, out LineIssue issue)
    {
        wasIgnored = false;
        Span<Range> fields = stackalloc Range[MaxFields];
        var outcome = Read(line, fields, out var offset, out issue);
        if (outcome != LineOutcome.Signature)
        {
            return outcome;
        }

        var parser = HexPatternParser.Rent();
        try
        {
            var (start, length) = fields[3].GetOffsetAndLength(line.Length);
            if (!parser.TryRead(line, start, length, PatternRules.StaticMinimum, out issue))
            {
                return LineOutcome.Unsupported;
            }

            if (ignored is not null && ignored(line[fields[0]]))
            {
                wasIgnored = true;
                return outcome;
            }

            store.Add(line.AsSpan(fields[0]), offset, parser);
            return outcome;
        }
        finally
        {
            HexPatternParser.Return(parser);
        }
    }

    /// <summary>Splits and checks every field but the hex signature.</summary>
    private static LineOutcome Read(string line, Span<Range> fields, out SignatureOffset offset, out LineIssue issue)
    {
        offset = SignatureOffset.Anywhere;
        var count = line.AsSpan().Split(fields, ':');
        if (count == MaxFields && line.AsSpan(fields[MaxFields - 1]).Contains(':'))
        {
            count = line.AsSpan().Count(':') + 1;
        }

        if (count is < 4 or > MaxFields || fields[0].GetOffsetAndLength(line.Length).Length == 0)
        {
            issue = new LineIssue(IssueKinds.Malformed, $"expected 4 to 6 fields, found {count}");
            return LineOutcome.Unsupported;
        }

        if (!FunctionalityLevel.TryAdmits(Field(line, fields, count, 4), Field(line, fields, count, 5), out var admitted, out issue))
        {
            return LineOutcome.Unsupported;
        }

        if (!admitted)
        {
            return LineOutcome.OutsideFunctionalityLevel;
        }

        var targetText = line.AsSpan(fields[1]);
        if (!int.TryParse(targetText, NumberStyles.None, CultureInfo.InvariantCulture, out var target))
        {
            issue = new LineIssue(IssueKinds.Malformed, $"target type '{targetText}' is not a number");
            return LineOutcome.Unsupported;
        }

        if (target != 0)
        {
            // Other targets (PE, OLE2, normalised HTML, mail, ...) match on parsed or normalised content.
            issue = new LineIssue(IssueKinds.TargetType, $"target type {target} is not supported, only 0");
            return LineOutcome.Unsupported;
        }

        return OffsetParser.TryParse(line.AsSpan(fields[2]), out offset, out issue) ? LineOutcome.Signature : LineOutcome.Unsupported;
    }

    private static string? Field(string line, ReadOnlySpan<Range> fields, int count, int index) => index < count ? line[fields[index]] : null;
}
