using System.Collections.Immutable;

namespace Postern.Sdk.Messages;

/// <summary>
/// The host's answer for one message: the scan result, an action per recipient, and the message to pass on when
/// it was changed. Immutable.
/// </summary>
/// <param name="Report">The scan result behind the decision.</param>
/// <param name="Recipients">One decision per envelope recipient, in envelope order.</param>
/// <param name="Message">The message to hand on for accepted recipients: the original bytes, or the marked or
/// cleaned copy.</param>
public sealed record MessageDecision(ScanReport Report, ImmutableArray<RecipientDecision> Recipients, ReadOnlyMemory<byte> Message)
{
    /// <summary>The strictest action over all recipients (Defer over Reject over Discard over Accept), for
    /// adapters whose protocol can give only one answer per message.</summary>
    public DecisionAction Strictest =>
        Recipients.IsDefaultOrEmpty ? DecisionAction.Defer
        : Recipients.Any(r => r.Action == DecisionAction.Defer) ? DecisionAction.Defer
        : Recipients.Any(r => r.Action == DecisionAction.Reject) ? DecisionAction.Reject
        : Recipients.Any(r => r.Action == DecisionAction.Discard) ? DecisionAction.Discard
        : DecisionAction.Accept;
}
