using System.Globalization;
using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>Reads one <c>.ndb</c> line: <c>Name:TargetType:Offset:HexSignature[:MinFL[:MaxFL]]</c>.</summary>
internal static class NdbLineParser
{
    public static LineOutcome Parse(string line, out BodySignature? signature, out LineIssue issue)
    {
        signature = null;
        var fields = line.Split(':');
        if (fields.Length is < 4 or > 6 || fields[0].Length == 0)
        {
            issue = new LineIssue(IssueKinds.Malformed, $"expected 4 to 6 fields, found {fields.Length}");
            return LineOutcome.Unsupported;
        }

        if (!FunctionalityLevel.TryAdmits(Field(fields, 4), Field(fields, 5), out var admitted, out issue))
        {
            return LineOutcome.Unsupported;
        }

        if (!admitted)
        {
            return LineOutcome.OutsideFunctionalityLevel;
        }

        if (!int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var target))
        {
            issue = new LineIssue(IssueKinds.Malformed, $"target type '{fields[1]}' is not a number");
            return LineOutcome.Unsupported;
        }

        if (target != 0)
        {
            // Other targets (PE, OLE2, normalised HTML, mail, ...) match on parsed or normalised content.
            issue = new LineIssue(IssueKinds.TargetType, $"target type {target} is not supported, only 0");
            return LineOutcome.Unsupported;
        }

        if (!OffsetParser.TryParse(fields[2], out var offset, out issue))
        {
            return LineOutcome.Unsupported;
        }

        var pattern = HexPatternParser.Parse(fields[3], out issue);
        if (pattern is null)
        {
            return LineOutcome.Unsupported;
        }

        signature = new BodySignature(fields[0], offset, pattern);
        return LineOutcome.Signature;
    }

    private static string? Field(string[] fields, int index) => index < fields.Length ? fields[index] : null;
}
