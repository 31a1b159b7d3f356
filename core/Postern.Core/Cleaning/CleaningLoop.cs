using Postern.Sdk.Messages;
using Postern.Sdk.Scanning;

namespace Postern.Core.Cleaning;

/// <summary>
/// Cleans, then rescans the cleaned copy to prove it: a rescan that still finds something feeds another pass (a
/// duplicate attachment is scanned once, so its twin only shows after the first is gone), up to
/// <see cref="MaxPasses"/>; no progress or no proof means the cleaning failed and the message stays infected.
/// </summary>
public sealed class CleaningLoop(IMessageScanner scanner)
{
    public const int MaxPasses = 4;

    /// <returns>The cleaned message and its rescan report, or the failure.</returns>
    public async ValueTask<CleaningOutcome> CleanAsync(ReadOnlyMemory<byte> message, ScanReport report, CleanMode mode, string name, CancellationToken ct)
    {
        var current = message;
        var findings = report.Findings.ToList();
        var reasons = report.NotScannedReasons;
        var replaced = new List<string>();
        var names = report.Findings.Select(f => f.Name).ToList();
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            var result = MessageCleaner.Clean(current, findings, reasons, mode);
            if (result.Message is null)
            {
                return CleaningOutcome.Failed(result.Failure ?? "cleaning failed");
            }

            replaced.AddRange(result.Replaced);
            current = result.Message;
            var rescan = await scanner.ScanAsync(new ScanRequest(current, name + " (cleaned)", IsMessage: true), ct);
            if (rescan.Status != ScanStatus.Infected)
            {
                return new CleaningOutcome(result.Message, rescan, replaced, [.. names.Distinct()], null);
            }

            findings = rescan.Findings.ToList<Finding>();
            reasons = rescan.NotScannedReasons;
            names.AddRange(findings.Select(f => f.Name));
        }

        return CleaningOutcome.Failed($"still infected after {MaxPasses} cleaning passes");
    }
}
