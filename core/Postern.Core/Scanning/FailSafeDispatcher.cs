using Microsoft.Extensions.Logging;
using Postern.Sdk.Messages;

namespace Postern.Core.Scanning;

/// <summary>
/// The decision every adapter gets until a policy is configured: clean mail is accepted, infected mail rejected,
/// mail that could not be scanned deferred, and any failure of our own deferred, for every recipient alike.
/// These are the fail-safe defaults that the policy's <c>action_av_infected</c> and <c>action_av_notscanned</c>
/// start from.
/// </summary>
public sealed partial class FailSafeDispatcher(IMessageScanner scanner, ILogger<FailSafeDispatcher> logger) : IMessageDispatcher
{
    public async ValueTask<MessageDecision> SubmitAsync(Envelope envelope, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        ScanReport report;
        try
        {
            report = await scanner.ScanAsync(new ScanRequest(message, envelope.QueueId ?? "message", IsMessage: true), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Boundary: the adapter must be able to answer its MTA; a failure here is a tempfail, never an accept.
            LogScanFailed(logger, envelope.QueueId, e);
            report = new ScanReport(ScanStatus.NotScanned, [], [$"internal error: {e.GetType().Name}"], 0, TimeSpan.Zero);
        }

        var (action, reason) = report.Status switch
        {
            ScanStatus.Clean => (DecisionAction.Accept, "clean"),
            ScanStatus.Infected => (DecisionAction.Reject, "infected: " + string.Join(", ", report.Findings.Select(f => f.Name).Distinct())),
            _ => (DecisionAction.Defer, "not scanned: " + string.Join("; ", report.NotScannedReasons)),
        };
        var recipients = envelope.Recipients.IsDefaultOrEmpty ? [""] : envelope.Recipients;
        return new MessageDecision(report, [.. recipients.Select(r => new RecipientDecision(r, action, reason))], message);
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Scanning message {QueueId} failed; deferring it")]
    private static partial void LogScanFailed(ILogger logger, string? queueId, Exception e);
}
