using Postern.Sdk.Messages;

namespace Postern.Protocols.Clamd;

/// <summary>clamd's result lines for one scanned object.</summary>
/// <remarks>
/// Clean: <c>NAME: OK</c>. Infected: <c>NAME: SIGNATURE FOUND</c>, the first finding (every distinct one, one line
/// each, for ALLMATCHSCAN). Anything not fully scanned (a limit, an encrypted or corrupt container, an engine failure)
/// is <c>NAME: Not scanned (REASON) ERROR</c>: clamd itself says OK for content past its limits unless
/// <c>AlertExceedsMax</c> is set, which a mail gateway must never do; ERROR makes Exim and other clients defer.
/// </remarks>
internal static class ClamdReplies
{
    private const int MaxReasonLength = 200;

    public static IReadOnlyList<string> Lines(string name, ScanReport? report, bool allMatch)
    {
        if (report is null)
        {
            return [$"{name}: Not scanned (scanner failure) ERROR"];
        }

        switch (report.Status)
        {
            case ScanStatus.Clean:
                return [$"{name}: OK"];
            case ScanStatus.Infected when !report.Findings.IsDefaultOrEmpty:
                var names = report.Findings.Select(f => Clean(f.Name)).Distinct(StringComparer.Ordinal);
                return allMatch ? [.. names.Select(n => $"{name}: {n} FOUND")] : [$"{name}: {names.First()} FOUND"];
            default:
                var reasons = report.NotScannedReasons.IsDefaultOrEmpty ? "unknown reason" : string.Join("; ", report.NotScannedReasons);
                return [$"{name}: Not scanned ({Clean(reasons)}) ERROR"];
        }
    }

    /// <summary>No control characters (they would end or split the reply) and a bounded length.</summary>
    private static string Clean(string text)
    {
        var cut = text.Length > MaxReasonLength ? text[..MaxReasonLength] : text;
        return new string([.. cut.Select(c => char.IsControl(c) ? '?' : c)]);
    }
}
