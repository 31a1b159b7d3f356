using System.Collections.Immutable;

namespace Postern.Sdk.Messages;

/// <summary>
/// The host's answer for one message: the scan result, an action per recipient, and the message to pass on when
/// it was changed. Immutable.
/// </summary>
/// <remarks>
/// The message to pass on may come in two parts, <see cref="Head"/> then <see cref="Tail"/>: a marked message is its
/// new header block followed by the submitted message's own body, which the host keeps by reference instead of
/// copying. <see cref="Message"/> joins them (once, on first use); an adapter that can write or compare the parts
/// separately (<see cref="CopyTo"/>, or <see cref="Tail"/> against the submitted bytes) avoids that copy.
/// </remarks>
/// <param name="Report">The scan result behind the decision.</param>
/// <param name="Recipients">One decision per envelope recipient, in envelope order.</param>
/// <param name="Message">The message to hand on for accepted recipients: the original bytes, or the marked or
/// cleaned copy.</param>
public sealed record MessageDecision(ScanReport Report, ImmutableArray<RecipientDecision> Recipients, ReadOnlyMemory<byte> Message)
{
    private ReadOnlyMemory<byte> head = Message;
    private ReadOnlyMemory<byte> tail;
    private byte[]? joined;

    /// <summary>A decision whose message is <paramref name="head"/> followed by <paramref name="tail"/> (typically a
    /// new header block and a slice of the submitted message from its header/body separator on).</summary>
    public MessageDecision(ScanReport report, ImmutableArray<RecipientDecision> recipients, ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> tail)
        : this(report, recipients, head)
    {
        this.tail = tail;
    }

    /// <summary>The message to hand on, as one block of bytes (the two parts joined on first use when it came in two).</summary>
    public ReadOnlyMemory<byte> Message
    {
        get
        {
            if (tail.IsEmpty)
            {
                return head;
            }

            // Benign race: two first readers may each join; both results hold the same bytes.
            return joined ??= Join(head, tail);
        }

        init
        {
            head = value;
            tail = default;
            joined = null;
        }
    }

    /// <summary>The first part of the message to hand on: all of it, or the new header block of a two-part message.</summary>
    public ReadOnlyMemory<byte> Head => head;

    /// <summary>The second part: empty, or what follows <see cref="Head"/> (for a marked message, the submitted
    /// message's own bytes from the empty line after its header on, not a copy).</summary>
    public ReadOnlyMemory<byte> Tail => tail;

    /// <summary>The length of the message to hand on.</summary>
    public int Length => head.Length + tail.Length;

    /// <summary>Copies the message to hand on into <paramref name="destination"/> (at least <see cref="Length"/> bytes).</summary>
    public void CopyTo(Span<byte> destination)
    {
        head.Span.CopyTo(destination);
        tail.Span.CopyTo(destination[head.Length..]);
    }

    /// <summary>The strictest action over all recipients (Defer over Reject over Discard over Accept), for
    /// adapters whose protocol can give only one answer per message.</summary>
    public DecisionAction Strictest =>
        Recipients.IsDefaultOrEmpty ? DecisionAction.Defer
        : Recipients.Any(r => r.Action == DecisionAction.Defer) ? DecisionAction.Defer
        : Recipients.Any(r => r.Action == DecisionAction.Reject) ? DecisionAction.Reject
        : Recipients.Any(r => r.Action == DecisionAction.Discard) ? DecisionAction.Discard
        : DecisionAction.Accept;

    private static byte[] Join(ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> tail)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(head.Length + tail.Length);
        head.Span.CopyTo(bytes);
        tail.Span.CopyTo(bytes.AsSpan(head.Length));
        return bytes;
    }
}
