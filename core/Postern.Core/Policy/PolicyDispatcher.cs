using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Postern.Core.Configuration;
using Postern.Core.Logging;
using Postern.Core.Marking;
using Postern.Core.Quarantine;
using Postern.Sdk.Messages;

namespace Postern.Core.Policy;

/// <summary>
/// The <see cref="IMessageDispatcher"/> adapters call: resolves the policy per recipient, scans (once) unless every
/// recipient's <c>action_av</c> decides without it, cleans, quarantines, marks, notifies and logs the summary line.
/// Anything that goes wrong inside, quarantine included, defers every recipient.
/// </summary>
public sealed class PolicyDispatcher(
    IMessageScanner scanner, PolicyConfig policy, IQuarantineStore? quarantine, MessageMarker marker, NotifyCommand notify,
    TimeProvider time, ILogger<PolicyDispatcher> logger) : IMessageDispatcher
{
    public async ValueTask<MessageDecision> SubmitAsync(Envelope envelope, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var queueId = envelope.QueueId ?? "-";
        ImmutableArray<string> recipients = envelope.Recipients.IsDefaultOrEmpty ? [""] : envelope.Recipients;
        MessageDecision decision;
        try
        {
            decision = await DecideAsync(envelope, recipients, message, queueId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Boundary: whatever fails here, the adapter must still answer its MTA, and only with a tempfail.
            MessageLog.PolicyFailed(logger, queueId, e);
            var report = new ScanReport(ScanStatus.NotScanned, [], [$"internal error: {e.GetType().Name}"], 0, TimeSpan.Zero);
            decision = new MessageDecision(report, [.. recipients.Select(r => new RecipientDecision(r, DecisionAction.Defer, "internal error"))], message);
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            LogSummary(envelope, queueId, recipients, decision, started);
        }

        return decision;
    }

    private void LogSummary(Envelope envelope, string queueId, ImmutableArray<string> recipients, MessageDecision decision, long started)
    {
        var to = string.Join(",", recipients);
        var status = decision.Report.Status.ToString().ToLowerInvariant();
        var found = string.Join(",", decision.Report.Findings.Select(f => f.Name).Distinct());
        var actions = string.Join(",", decision.Recipients.Select(r => r.Action.ToString().ToLowerInvariant()).Distinct());
        var ms = (long)time.GetElapsedTime(started).TotalMilliseconds;
        MessageLog.Summary(logger, queueId, envelope.Sender, to, status, found.Length > 0 ? found : "-", actions, ms);
    }

    private async ValueTask<MessageDecision> DecideAsync(
        Envelope envelope, ImmutableArray<string> recipients, ReadOnlyMemory<byte> message, string queueId, CancellationToken ct)
    {
        var wide = policy.Resolve(envelope.Agent, envelope.Sender, null);
        var settings = recipients.Select(r => policy.Resolve(envelope.Agent, envelope.Sender, r)).ToList();
        var gates = settings.Select(PolicyEngine.Gate).ToList();
        if (gates.All(g => g != AvAction.Scan))
        {
            var skipped = new ScanReport(ScanStatus.NotScanned, [], ["not scanned: decided by action_av"], 0, TimeSpan.Zero);
            return new MessageDecision(skipped, [.. recipients.Select((r, i) => PolicyEngine.Unscanned(r, gates[i]))], message);
        }

        var verdict = await new VerdictBuilder(scanner, logger).BuildAsync(envelope, message, wide.CleanMode, ct);
        var decisions = recipients.Select((r, i) => gates[i] == AvAction.Scan
            ? PolicyEngine.Decide(r, settings[i], verdict.Status, verdict.Detail)
            : PolicyEngine.Unscanned(r, gates[i])).ToList();
        for (var i = 0; i < decisions.Count && logger.IsEnabled(LogLevel.Debug); i++)
        {
            var (d, origin) = (decisions[i], settings[i][StatusSetting(verdict.Status)].Origin.ToString());
            var action = d.Action.ToString();
            MessageLog.RecipientDetail(logger, queueId, d.Recipient, action, d.Reason, origin);
        }

        var quarantineId = "";
        if (verdict.Status != VerdictStatus.Clean && quarantine is not null && wide.Flag(PolicySettings.QuarantineEnabled)
            && decisions.Any(d => d.Action != DecisionAction.Defer))
        {
            try
            {
                var item = await quarantine.StoreAsync(envelope, message, verdict.Status.ToString().ToLowerInvariant(), verdict.Detections, verdict.Detail, ct);
                quarantineId = item.Id;
                MessageLog.Quarantined(logger, queueId, item.Id);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                // amavis' rule: nothing is rejected or discarded unless its copy is safe; defer, and the MTA retries.
                MessageLog.QuarantineFailed(logger, queueId, e);
                decisions = [.. decisions.Select(d => d with { Action = DecisionAction.Defer, Reason = "quarantine unavailable" })];
            }
        }

        // Marking changes header fields: the decision carries the new header block and the body by reference.
        var (head, tail) = decisions.Any(d => d.Action == DecisionAction.Accept)
            ? marker.MarkParts(verdict.Message, verdict.Status, verdict.Detail, string.Join(", ", verdict.Detections), MarkingOptions.From(wide, verdict.Status))
            : (verdict.Message, ReadOnlyMemory<byte>.Empty);
        Notify(wide, envelope, recipients, verdict, decisions, quarantineId);
        return new MessageDecision(verdict.Report, [.. decisions], head, tail);
    }

    private void Notify(EffectiveSettings wide, Envelope envelope, ImmutableArray<string> recipients, Verdict verdict,
        List<RecipientDecision> decisions, string quarantineId)
    {
        var command = wide.Text(PolicySettings.NotifyCommand);
        if (!Notifies || command.Length == 0 || verdict.Detections.Count == 0 || verdict.Status == VerdictStatus.NotScanned && verdict.Report.Findings.IsEmpty)
        {
            return;
        }

        var facts = new NotifyFacts(envelope.QueueId ?? "", envelope.Sender, recipients, verdict.Detections, verdict.Status.ToString().ToLowerInvariant(),
            string.Join(",", decisions.Select(d => d.Action.ToString().ToLowerInvariant()).Distinct()), envelope.Agent, quarantineId);

        // Not awaited: the notification must not hold up the MTA's answer; NotifyCommand bounds and logs it itself.
        _ = notify.RunAsync(command, facts, NotifyTimeout, CancellationToken.None);
    }

    /// <summary>How long av_notify_command may run.</summary>
    public TimeSpan NotifyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether <c>av_notify_command</c> runs on detections; off for the daemon's warm-up, whose sample is no mail.</summary>
    public bool Notifies { get; init; } = true;

    private static string StatusSetting(VerdictStatus status) => status switch
    {
        VerdictStatus.Infected => PolicySettings.ActionAvInfected,
        VerdictStatus.Deleted => PolicySettings.ActionAvDeleted,
        VerdictStatus.NotScanned => PolicySettings.ActionAvNotScanned,
        _ => PolicySettings.ActionAv,
    };

    /// <summary>Reads av_notify_timeout from [global].</summary>
    public static TimeSpan ReadNotifyTimeout(IReadOnlyDictionary<string, string> global) =>
        global.TryGetValue(GlobalSettings.NotifyTimeout, out var v) && ConfigValue.TryParseDuration(v, out var t) ? t : TimeSpan.FromSeconds(10);
}
