using Microsoft.Extensions.Logging;
using Postern.Core.Cleaning;
using Postern.Core.Logging;
using Postern.Sdk.Messages;

namespace Postern.Core.Policy;

/// <summary>Scans a message and, where <c>av_clean_mode</c> asks, cleans it and proves the copy with a rescan.
/// Cleaning that fails leaves the verdict as scanned: infected stays infected.</summary>
public sealed class VerdictBuilder(IMessageScanner scanner, ILogger logger)
{
    public async ValueTask<Verdict> BuildAsync(Envelope envelope, ReadOnlyMemory<byte> message, CleanMode mode, CancellationToken ct)
    {
        var name = envelope.QueueId ?? "message";
        var report = await scanner.ScanAsync(new ScanRequest(message, name, IsMessage: true), ct);
        var detections = report.Findings.Select(f => f.Name).Distinct().ToList();
        foreach (var f in report.Findings)
        {
            MessageLog.Finding(logger, name, f.Name, f.Engine, f.ItemPath);
        }

        foreach (var r in report.NotScannedReasons)
        {
            MessageLog.NotScanned(logger, name, r);
        }

        var scanned = report.Status switch
        {
            ScanStatus.Clean => new Verdict(VerdictStatus.Clean, report, message, [], ""),
            ScanStatus.Infected => new Verdict(VerdictStatus.Infected, report, message, detections, string.Join(", ", detections)),
            _ => new Verdict(VerdictStatus.NotScanned, report, message, [], string.Join("; ", report.NotScannedReasons)),
        };
        var wantsCleaning = (report.Status == ScanStatus.Infected && mode != CleanMode.None)
            || (report.Status == ScanStatus.NotScanned && mode == CleanMode.Strict);
        if (!wantsCleaning)
        {
            return scanned;
        }

        var outcome = await new CleaningLoop(scanner).CleanAsync(message, report, mode, name, ct);
        if (outcome.Message is null || outcome.Rescan is null)
        {
            MessageLog.CleaningFailed(logger, name, outcome.Failure ?? "");
            return scanned;
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            var parts = string.Join(", ", outcome.Replaced);
            MessageLog.Cleaned(logger, name, parts);
        }
        var removed = outcome.Removed.Count > 0 ? outcome.Removed : ["content that could not be scanned"];
        return outcome.Rescan.Status == ScanStatus.Clean
            ? new Verdict(VerdictStatus.Deleted, report, outcome.Message, removed, string.Join(", ", removed))
            : new Verdict(VerdictStatus.NotScanned, report, outcome.Message, removed, string.Join("; ", outcome.Rescan.NotScannedReasons));
    }
}
