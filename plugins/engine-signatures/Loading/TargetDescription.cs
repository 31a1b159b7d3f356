using System.Globalization;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>
/// Reads the target description block of an <c>.ldb</c> line (<c>Engine:51-255,Target:0,FileSize:100-2000</c>).
/// Only fields that need no file-type parser are honoured; the others make the line unsupported.
/// </summary>
internal static class TargetDescription
{
    /// <summary>Fields that need a PE parser, icon database, container type or file-type detection we do not do.</summary>
    private static readonly string[] Unhonoured =
        ["EntryPoint", "NumberOfSections", "Container", "Intermediates", "IconGroup1", "IconGroup2", "HandlerType"];

    public static bool TryRead(string block, out bool admitted, out long minSize, out long maxSize, out LineIssue issue)
    {
        admitted = true;
        (minSize, maxSize) = (0, long.MaxValue);
        issue = default;
        var hasTarget = false;
        foreach (var field in block.Split(','))
        {
            var colon = field.IndexOf(':');
            var key = colon < 0 ? field : field[..colon];
            var value = colon < 0 ? string.Empty : field[(colon + 1)..];
            switch (key)
            {
                case "Target":
                    hasTarget = true;
                    if (value != "0")
                    {
                        // Other targets (PE, OLE2, HTML, mail, ...) match on parsed or normalised content.
                        return Fail(IssueKinds.TargetType, $"target type {value} is not supported, only 0", out issue);
                    }

                    break;
                case "Engine":
                    if (!TryRange(value, out var low, out var high))
                    {
                        return Fail(IssueKinds.Malformed, $"bad Engine range '{value}'", out issue);
                    }

                    admitted &= low <= FunctionalityLevel.Current && FunctionalityLevel.Current <= high;
                    break;
                case "FileSize":
                    if (!TryRange(value, out minSize, out maxSize))
                    {
                        return Fail(IssueKinds.Malformed, $"bad FileSize range '{value}'", out issue);
                    }

                    break;
                default:
                    return Array.IndexOf(Unhonoured, key) >= 0
                        ? Fail(IssueKinds.TargetField, $"the {key} field needs a file parser we do not have", out issue)
                        : Fail(IssueKinds.Malformed, $"unknown target description field '{key}'", out issue);
            }
        }

        return hasTarget || Fail(IssueKinds.Malformed, "the target description has no Target", out issue);
    }

    /// <summary>Reads <c>X-Y</c>, <c>X-</c> or a single <c>X</c>, as ClamAV's range fields allow.</summary>
    private static bool TryRange(string text, out long low, out long high)
    {
        var dash = text.IndexOf('-');
        high = long.MaxValue;
        if (dash < 0)
        {
            return TryNumber(text, out low) && (high = low) >= 0;
        }

        return TryNumber(text[..dash], out low)
            && (dash == text.Length - 1 || TryNumber(text[(dash + 1)..], out high)) && low <= high;
    }

    private static bool TryNumber(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static bool Fail(string kind, string detail, out LineIssue issue)
    {
        issue = new LineIssue(kind, detail);
        return false;
    }
}
