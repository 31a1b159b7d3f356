using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>
/// Reads one subsignature of an <c>.ldb</c> line: <c>[Offset:]HexSignature</c> in the <c>.ndb</c> grammar. PCRE,
/// byte-compare, macro subsignatures and <c>::</c> modifiers are named as unsupported, never guessed at.
/// </summary>
internal static class SubsignatureParser
{
    public static BodySignature? Parse(string name, string text, out LineIssue issue)
    {
        if (text.StartsWith('$'))
        {
            return Fail(IssueKinds.Macro, "macro subsignatures are not supported", out issue);
        }

        if (text.Contains("::", StringComparison.Ordinal))
        {
            return Fail(IssueKinds.SubsignatureModifier, $"subsignature modifiers '{text[(text.IndexOf("::", StringComparison.Ordinal) + 2)..]}' are not supported", out issue);
        }

        if (text.Contains('/'))
        {
            return Fail(IssueKinds.Pcre, "PCRE subsignatures are not supported", out issue);
        }

        if (text.Contains('#'))
        {
            return Fail(IssueKinds.ByteCompare, "byte-compare subsignatures are not supported", out issue);
        }

        var offset = SignatureOffset.Anywhere;
        var colon = text.LastIndexOf(':');
        if (colon >= 0 && !OffsetParser.TryParse(text.AsSpan(0, colon), out offset, out issue))
        {
            return null;
        }

        var pattern = HexPatternParser.Parse(text[(colon + 1)..], out issue, PatternRules.SubsignatureStaticMinimum);
        return pattern is null ? null : new BodySignature(name, offset, pattern);
    }

    private static BodySignature? Fail(string kind, string detail, out LineIssue issue)
    {
        issue = new LineIssue(kind, detail);
        return null;
    }
}
