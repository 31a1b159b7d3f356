using System.Globalization;
using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>Reads the offset field of an <c>.ndb</c> line: <c>*</c>, <c>n</c>, <c>n,m</c>, <c>EOF-n</c>, <c>EOF-n,m</c>.</summary>
internal static class OffsetParser
{
    private const string EndPrefix = "EOF-";

    public static bool TryParse(ReadOnlySpan<char> field, out SignatureOffset offset, out LineIssue issue)
    {
        offset = SignatureOffset.Anywhere;
        issue = default;
        if (field is "*")
        {
            return true;
        }

        var kind = OffsetKind.FromStart;
        var rest = field;
        if (rest.StartsWith(EndPrefix, StringComparison.Ordinal))
        {
            kind = OffsetKind.FromEnd;
            rest = rest[EndPrefix.Length..];
        }
        else if (rest.Length == 0 || !char.IsAsciiDigit(rest[0]))
        {
            // EP+n, Sx+n, SL+n, SE, VI and $macro$ offsets need executable parsing we do not do.
            issue = new LineIssue(IssueKinds.Offset, $"offset '{field}' is not *, n, n,m, EOF-n or EOF-n,m");
            return false;
        }

        var comma = rest.IndexOf(',');
        var baseText = comma < 0 ? rest : rest[..comma];
        var shiftText = comma < 0 ? "0" : rest[(comma + 1)..];
        if (!TryParseCount(baseText, out var start) || !TryParseCount(shiftText, out var shift))
        {
            issue = new LineIssue(IssueKinds.Malformed, $"offset '{field}' is not a number");
            return false;
        }

        offset = new SignatureOffset(kind, start, shift);
        return true;
    }

    private static bool TryParseCount(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
