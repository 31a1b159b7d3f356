using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>Reads one <c>.ldb</c> line: <c>Name;TargetDescriptionBlock;LogicalExpression;Subsig0[;Subsig1...]</c>.</summary>
internal static class LdbLineParser
{
    public static LineOutcome Parse(string line, out LogicalSignature? signature, out LineIssue issue)
    {
        signature = null;
        var fields = line.Split(';');
        if (fields.Length < 4 || fields[0].Length == 0)
        {
            issue = new LineIssue(IssueKinds.Malformed, $"expected at least 4 fields, found {fields.Length}");
            return LineOutcome.Unsupported;
        }

        if (!TargetDescription.TryRead(fields[1], out var admitted, out var minSize, out var maxSize, out issue))
        {
            return LineOutcome.Unsupported;
        }

        var expression = LogicalExpressionParser.Parse(fields[2], out var error);
        if (expression is null)
        {
            issue = new LineIssue(IssueKinds.Malformed, $"logical expression '{fields[2]}': {error}");
            return LineOutcome.Unsupported;
        }

        var count = fields.Length - 3;
        if (expression.HighestSubsignature + 1 != count)
        {
            // ClamAV refuses the database when the two disagree.
            issue = new LineIssue(IssueKinds.Malformed, $"{count} subsignatures, but the expression refers to {expression.HighestSubsignature + 1}");
            return LineOutcome.Unsupported;
        }

        var subsignatures = new BodySignature[count];
        for (var i = 0; i < count; i++)
        {
            var subsignature = SubsignatureParser.Parse(fields[0], fields[3 + i], out issue);
            if (subsignature is null)
            {
                issue = issue with { Detail = $"subsignature {i}: {issue.Detail}" };
                return LineOutcome.Unsupported;
            }

            subsignatures[i] = subsignature;
        }

        if (!admitted)
        {
            return LineOutcome.OutsideFunctionalityLevel;
        }

        signature = new LogicalSignature(fields[0], expression, subsignatures, minSize, maxSize);
        return LineOutcome.Signature;
    }
}
