using Postern.Sdk.Messages;

namespace Postern.Core.Policy;

/// <summary>The two-stage decision for one recipient: <c>action_av</c> before the scan, then the after-scan action
/// for the verdict. Pure; the dispatcher does the scanning, cleaning and quarantining around it.</summary>
public static class PolicyEngine
{
    /// <summary>The gate: <see cref="AvAction.Scan"/>, or the action taken without scanning.</summary>
    public static AvAction Gate(EffectiveSettings settings) => settings.Action(PolicySettings.ActionAv);

    /// <summary>The after-scan action for <paramref name="status"/>. Only an explicit <c>accept</c> passes the message.</summary>
    public static AvAction AfterScan(EffectiveSettings settings, VerdictStatus status) => status switch
    {
        VerdictStatus.Clean => AvAction.Accept,
        VerdictStatus.Infected => settings.Action(PolicySettings.ActionAvInfected),
        VerdictStatus.Deleted => settings.Action(PolicySettings.ActionAvDeleted),
        _ => settings.Action(PolicySettings.ActionAvNotScanned),
    };

    /// <summary>The recipient's decision without a scan, from the gate.</summary>
    public static RecipientDecision Unscanned(string recipient, AvAction gate) =>
        new(recipient, ToDecision(gate), $"policy: action_av = {gate.ToString().ToLowerInvariant()}");

    /// <summary>The recipient's decision after the scan; <paramref name="detail"/> names the detections or reasons.</summary>
    public static RecipientDecision Decide(string recipient, EffectiveSettings settings, VerdictStatus status, string detail)
    {
        var action = AfterScan(settings, status);
        var reason = status switch
        {
            VerdictStatus.Clean => "clean",
            VerdictStatus.Infected => $"infected: {detail}",
            VerdictStatus.Deleted => $"cleaned: {detail}",
            _ => $"not scanned: {detail}",
        };
        return new RecipientDecision(recipient, ToDecision(action), reason);
    }

    public static DecisionAction ToDecision(AvAction action) => action switch
    {
        AvAction.Accept => DecisionAction.Accept,
        AvAction.Reject => DecisionAction.Reject,
        AvAction.Discard => DecisionAction.Discard,

        // Scan can't be a final answer; Defer is the fail-safe for anything unexpected.
        _ => DecisionAction.Defer,
    };
}
