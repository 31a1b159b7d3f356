using Postern.Sdk.Messages;

namespace Postern.Host.FileScan;

/// <summary>The outcome for one path on the command line or found while recursing.</summary>
internal sealed record FileResult(string Path, ScanReport? Report, string? Error, long Bytes)
{
    public bool IsInfected => Report?.Status == ScanStatus.Infected;

    public bool IsError => Error is not null || Report?.Status == ScanStatus.NotScanned;

    /// <summary>The clamscan-style line: <c>PATH: NAME FOUND</c>, <c>PATH: OK</c>, <c>PATH: REASON ERROR</c>.</summary>
    public string Line()
    {
        if (Error is not null)
        {
            return $"{Path}: {Error} ERROR";
        }

        if (Report is null)
        {
            return $"{Path}: Empty file";
        }

        return Report.Status switch
        {
            ScanStatus.Infected => $"{Path}: {Report.Findings[0].Name} FOUND",
            ScanStatus.NotScanned => $"{Path}: Not scanned ({string.Join("; ", Report.NotScannedReasons)}) ERROR",
            _ => $"{Path}: OK",
        };
    }
}
