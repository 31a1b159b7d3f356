using System.Globalization;
using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>
/// Reads one <c>.hdb</c> or <c>.hsb</c> line: <c>Hash:Size:Name[:MinFL[:MaxFL]]</c>, the digest told by its length
/// (MD5, SHA-1, SHA-256) and the size either a number or <c>*</c> with a MinFL of at least 73.
/// </summary>
internal static class HashLineParser
{
    /// <summary>Parses a line into a record; for allow lists and tests, where lines are few.</summary>
    public static LineOutcome Parse(string line, out HashSignature? signature, out LineIssue issue)
    {
        signature = null;
        var outcome = Read(line, out var fields, out var kind, out var size, out issue);
        if (outcome == LineOutcome.Signature)
        {
            signature = new HashSignature(fields[2], kind, Convert.FromHexString(fields[0]), size);
        }

        return outcome;
    }

    /// <summary>Parses a line straight into <paramref name="store"/>, unless <paramref name="ignored"/> says its
    /// name is on an ignore list (then <paramref name="wasIgnored"/> is set and nothing is stored).</summary>
    public static LineOutcome ParseInto(string line, HashStore store, Func<string, bool>? ignored, out bool wasIgnored, out LineIssue issue)
    {
        wasIgnored = false;
        var outcome = Read(line, out var fields, out var kind, out var size, out issue);
        if (outcome != LineOutcome.Signature)
        {
            return outcome;
        }

        if (ignored is not null && ignored(fields[2]))
        {
            wasIgnored = true;
            return outcome;
        }

        Span<byte> digest = stackalloc byte[32];
        Convert.FromHexString(fields[0], digest, out _, out var written);
        store.Add(kind, digest[..written], size, fields[2]);
        return outcome;
    }

    private static LineOutcome Read(string line, out string[] fields, out HashKind kind, out long size, out LineIssue issue)
    {
        kind = default;
        size = HashSignature.AnySize;
        fields = line.Split(':');
        if (fields.Length is < 3 or > 5 || fields[2].Length == 0)
        {
            issue = new LineIssue(IssueKinds.Malformed, $"expected 3 to 5 fields, found {fields.Length}");
            return LineOutcome.Unsupported;
        }

        var min = fields.Length > 3 ? fields[3] : null;
        if (!FunctionalityLevel.TryAdmits(min, fields.Length > 4 ? fields[4] : null, out var admitted, out issue))
        {
            return LineOutcome.Unsupported;
        }

        if (!TryKind(fields[0].Length, out kind) || !IsHex(fields[0]))
        {
            issue = new LineIssue(IssueKinds.Malformed, "the hash is not 32, 40 or 64 hex digits");
            return LineOutcome.Unsupported;
        }

        if (!TrySize(fields[1], min, out size, out issue))
        {
            return LineOutcome.Unsupported;
        }

        return admitted ? LineOutcome.Signature : LineOutcome.OutsideFunctionalityLevel;
    }

    private static bool TrySize(string field, string? minLevel, out long size, out LineIssue issue)
    {
        issue = default;
        size = HashSignature.AnySize;
        if (field == "*")
        {
            if (FunctionalityLevel.TryParseLevel(minLevel, out var level)
                && level >= FunctionalityLevel.HashSizeWildcardMinimum)
            {
                return true;
            }

            issue = new LineIssue(IssueKinds.HashSizeWildcard,
                $"a * size needs a MinFL of at least {FunctionalityLevel.HashSizeWildcardMinimum}");
            return false;
        }

        if (long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out size))
        {
            return true;
        }

        issue = new LineIssue(IssueKinds.Malformed, $"size '{field}' is not a number or *");
        return false;
    }

    private static bool TryKind(int hexLength, out HashKind kind)
    {
        kind = hexLength switch { 40 => HashKind.Sha1, 64 => HashKind.Sha256, _ => HashKind.Md5 };
        return hexLength is 32 or 40 or 64;
    }

    private static bool IsHex(string hex)
    {
        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
