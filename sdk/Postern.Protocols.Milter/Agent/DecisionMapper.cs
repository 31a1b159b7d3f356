using System.Collections.Immutable;
using Postern.Sdk.Messages;

namespace Postern.Protocols.Milter.Agent;

/// <summary>
/// Maps a <see cref="MessageDecision"/> to what a milter can say at end of message. Pure; thread-safe.
/// <list type="bullet">
/// <item>Any recipient deferred: tempfail the whole message (<c>451 4.7.1</c>); nothing is dropped, the client retries.</item>
/// <item>No recipient accepted, one rejected: <c>550 5.7.1</c> with the detection; all discarded: DISCARD.</item>
/// <item>Some accepted: the decided message's header and body changes (ADDHEADER/INSHEADER/CHGHEADER, REPLBODY),
/// DELRCPT for each rejected or discarded recipient (the client sees 250 for the message; a removed recipient gets
/// nothing and nobody is told, as with DISCARD), then ACCEPT.</item>
/// <item>The hold setting matches the scan status and the message enters the queue: SMFIR_QUARANTINE with the reason;
/// discarded recipients are then kept (held, not dropped) so a release reaches them.</item>
/// </list>
/// </summary>
public static class DecisionMapper
{
    /// <summary>Maps the decision. <paramref name="original"/> is the message as submitted, <paramref name="recipients"/>
    /// the RCPT strings as the MTA sent them, in the order submitted.</summary>
    public static MilterResult Map(MessageDecision decision, ReadOnlyMemory<byte> original, IReadOnlyList<MilterHeader> receivedHeaders,
        int originalBodyOffset, IReadOnlyList<string> recipients, bool leadingSpace, HoldQueue hold)
    {
        var actions = Actions(decision, recipients.Count);
        if (actions.Contains(DecisionAction.Defer))
        {
            var reason = decision.Recipients.FirstOrDefault(r => r.Action == DecisionAction.Defer)?.Reason ?? "no decision";
            return MilterResult.Of(MilterReply.Code(451, "4.7.1", $"Message not accepted now ({reason}), try again later"));
        }

        var held = hold != HoldQueue.None && decision.Report.Status switch
        {
            ScanStatus.Infected => hold.HasFlag(HoldQueue.Infected),
            ScanStatus.NotScanned => hold.HasFlag(HoldQueue.NotScanned),
            _ => false,
        };
        var kept = Enumerable.Range(0, actions.Length)
            .Where(i => actions[i] == DecisionAction.Accept || held && actions[i] == DecisionAction.Discard).ToList();
        if (kept.Count == 0)
        {
            if (actions.Contains(DecisionAction.Reject))
            {
                var reason = decision.Recipients.First(r => r.Action == DecisionAction.Reject).Reason;
                return MilterResult.Of(MilterReply.Code(550, "5.7.1", $"Message rejected: {reason}"));
            }

            return MilterResult.Of(MilterReply.Discard);
        }

        var mods = new List<MilterModification>();
        if (decision.Tail.IsEmpty && SameBytes(decision.Head, original))
        {
            // Passed on as received.
        }
        else if (HeaderOnly(decision, original, originalBodyOffset, leadingSpace) is { } headerOnly)
        {
            // A new header block over the submitted body (marking): no body to compare or replace.
            mods.AddRange(HeaderDiff.Diff(receivedHeaders, headerOnly));
        }
        else
        {
            var (headers, bodyOffset) = HeaderDiff.Parse(decision.Message.Span, leadingSpace);
            mods.AddRange(HeaderDiff.Diff(receivedHeaders, headers));
            var newBody = decision.Message[bodyOffset..];
            if (!newBody.Span.SequenceEqual(original.Span[originalBodyOffset..]))
            {
                mods.Add(new ReplaceBody(newBody));
            }
        }

        for (var i = 0; i < actions.Length; i++)
        {
            if (!kept.Contains(i))
            {
                mods.Add(new DeleteRecipient(recipients[i]));
            }
        }

        if (held)
        {
            var detail = decision.Report.Findings.IsDefaultOrEmpty
                ? string.Join(", ", decision.Report.NotScannedReasons)
                : string.Join(", ", decision.Report.Findings.Select(f => f.Name).Distinct());
            mods.Add(new QuarantineMessage($"Postern: {decision.Report.Status.ToString().ToLowerInvariant()} ({detail})"));
        }

        return new MilterResult(mods, MilterReply.Accept);
    }

    // The headers of a two-part decision whose tail is the submitted message's own empty line and body, else null.
    private static List<MilterHeader>? HeaderOnly(MessageDecision decision, ReadOnlyMemory<byte> original, int originalBodyOffset, bool leadingSpace)
    {
        var tail = decision.Tail.Span;
        var separator = tail.StartsWith("\r\n"u8) ? 2 : tail.StartsWith("\n"u8) ? 1 : 0;
        if (separator == 0 || originalBodyOffset > original.Length
            || !SameBytes(decision.Tail[separator..], original[originalBodyOffset..]))
        {
            return null;
        }

        var (headers, end) = HeaderDiff.Parse(decision.Head.Span, leadingSpace);
        return end == decision.Head.Length ? headers : null;
    }

    // Equal bytes; the same region of the same array is equal without a look at them.
    private static bool SameBytes(ReadOnlyMemory<byte> a, ReadOnlyMemory<byte> b) =>
        a.Length == b.Length && (a.Equals(b) || a.Span.SequenceEqual(b.Span));

    // The decision per submitted recipient, by position (the dispatcher answers in order), else by address.
    private static ImmutableArray<DecisionAction> Actions(MessageDecision decision, int count)
    {
        if (decision.Recipients.IsDefaultOrEmpty)
        {
            return [.. Enumerable.Repeat(DecisionAction.Defer, Math.Max(count, 1))];
        }

        if (decision.Recipients.Length == count)
        {
            return [.. decision.Recipients.Select(r => r.Action)];
        }

        // Not one decision per recipient: only a decision every recipient shares can be applied.
        return [.. Enumerable.Repeat(decision.Strictest, Math.Max(count, 1))];
    }
}
