namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>The ClamAV functionality level whose signatures we take, against a line's MinFL and MaxFL.</summary>
internal static class FunctionalityLevel
{
    /// <summary>What <c>clamconf</c> of ClamAV 1.4.6, the reference we match, prints as "Engine flevel".</summary>
    public const int Current = 216;

    /// <summary>ClamAV requires at least this MinFL on a hash line whose size is <c>*</c>.</summary>
    public const int HashSizeWildcardMinimum = 73;

    /// <summary>Whether the optional MinFL and MaxFL fields admit <see cref="Current"/>; false with an issue when a field is not a number.</summary>
    public static bool TryAdmits(string? minField, string? maxField, out bool admitted, out LineIssue issue)
    {
        admitted = true;
        issue = default;
        if (!TryParseLevel(minField, out var min) || !TryParseLevel(maxField, out var max))
        {
            issue = new LineIssue(IssueKinds.Malformed, "functionality level is not a number");
            return false;
        }

        admitted = (min is null || min <= Current) && (max is null || max >= Current);
        return true;
    }

    public static bool TryParseLevel(string? field, out int? level)
    {
        level = null;
        if (string.IsNullOrEmpty(field))
        {
            return true;
        }

        if (!int.TryParse(field, System.Globalization.NumberStyles.None, null, out var parsed))
        {
            return false;
        }

        level = parsed;
        return true;
    }
}
