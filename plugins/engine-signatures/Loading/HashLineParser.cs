using System.Globalization;
using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>
/// Reads one <c>.hdb</c> or <c>.hsb</c> line: <c>Hash:Size:Name[:MinFL[:MaxFL]]</c>, the digest told by its length
/// (MD5, SHA-1, SHA-256) and the size either a number or <c>*</c> with a MinFL of at least 73.
/// </summary>
internal static class HashLineParser
{
    public static LineOutcome Parse(string line, out HashSignature? signature, out LineIssue issue)
    {
        signature = null;
        var fields = line.Split(':');
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

        if (!TryKind(fields[0].Length, out var kind) || !TryHex(fields[0], out var digest))
        {
            issue = new LineIssue(IssueKinds.Malformed, "the hash is not 32, 40 or 64 hex digits");
            return LineOutcome.Unsupported;
        }

        if (!TrySize(fields[1], min, out var size, out issue))
        {
            return LineOutcome.Unsupported;
        }

        if (!admitted)
        {
            return LineOutcome.OutsideFunctionalityLevel;
        }

        signature = new HashSignature(fields[2], kind, digest, size);
        return LineOutcome.Signature;
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

    private static bool TryHex(string hex, out byte[] digest)
    {
        digest = [];
        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        digest = Convert.FromHexString(hex);
        return true;
    }
}
