using System.Collections.Immutable;
using Postern.Sdk.Messages;
using Postern.Sdk.Scanning;

namespace Postern.Protocols.Local;

/// <summary>The decision frame: the scan outcome, one action per recipient and whether a changed message follows.
/// Immutable.</summary>
/// <param name="Report">The scan result (findings, not-scanned reasons, item count, time).</param>
/// <param name="Recipients">One decision per envelope recipient, in envelope order.</param>
/// <param name="ChangedLength">The length of the decided message that follows in chunk frames, or <c>-1</c> when
/// the message was not changed and the caller passes on its own copy.</param>
public sealed record LocalDecision(ScanReport Report, ImmutableArray<RecipientDecision> Recipients, long ChangedLength)
{
    /// <summary>The most findings or not-scanned reasons one decision carries (the rest are dropped, with a note).</summary>
    public const int MaxListItems = 1000;

    /// <summary>The strictest action over all recipients, as <see cref="MessageDecision.Strictest"/>.</summary>
    public DecisionAction Strictest => new MessageDecision(Report, Recipients, ReadOnlyMemory<byte>.Empty).Strictest;

    /// <summary>Encodes the frame payload.</summary>
    /// <returns>The payload.</returns>
    public ReadOnlyMemory<byte> Encode()
    {
        var w = new FieldWriter();
        w.Byte((byte)Report.Status);
        w.Int64(ChangedLength);
        w.Int32(Report.ItemCount);
        w.Int64(Report.Elapsed.Ticks);
        var recipients = Recipients.IsDefault ? [] : Recipients;
        w.Int32(recipients.Length);
        foreach (var r in recipients)
        {
            w.Byte((byte)r.Action);
            w.String(r.Recipient);
            w.String(r.Reason);
        }

        var findings = Report.Findings.IsDefault ? [] : Report.Findings;
        w.Int32(Math.Min(findings.Length, MaxListItems));
        foreach (var f in findings.Take(MaxListItems))
        {
            w.String(f.Name);
            w.String(f.Engine);
            w.String(f.ItemPath);
        }

        var reasons = Report.NotScannedReasons.IsDefault ? [] : Report.NotScannedReasons;
        w.Int32(Math.Min(reasons.Length, MaxListItems));
        foreach (var s in reasons.Take(MaxListItems))
        {
            w.String(s);
        }

        return w.ToMemory();
    }

    /// <summary>Decodes a decision frame payload.</summary>
    /// <param name="payload">The payload as received.</param>
    /// <returns>The decision; throws <see cref="LocalProtocolException"/> for anything malformed.</returns>
    public static LocalDecision Decode(byte[] payload)
    {
        var r = new FieldReader(payload);
        var status = r.Byte();
        if (status > (byte)ScanStatus.NotScanned)
        {
            throw new LocalProtocolException($"unknown scan status {status}");
        }

        var changed = r.Int64();
        if (changed < -1)
        {
            throw new LocalProtocolException("bad changed-message length");
        }

        var items = r.Int32();
        var elapsed = TimeSpan.FromTicks(Math.Max(0, r.Int64()));
        var count = r.Count(LocalSubmission.MaxRecipients, "recipients");
        var recipients = ImmutableArray.CreateBuilder<RecipientDecision>(count);
        for (var i = 0; i < count; i++)
        {
            var action = r.Byte();
            if (action > (byte)DecisionAction.Discard)
            {
                throw new LocalProtocolException($"unknown action {action}");
            }

            recipients.Add(new RecipientDecision(r.String(), (DecisionAction)action, r.String()));
        }

        var nf = r.Count(MaxListItems, "findings");
        var findings = ImmutableArray.CreateBuilder<Finding>(nf);
        for (var i = 0; i < nf; i++)
        {
            findings.Add(new Finding(r.String(), r.String(), r.String()));
        }

        var nr = r.Count(MaxListItems, "not-scanned reasons");
        var reasons = ImmutableArray.CreateBuilder<string>(nr);
        for (var i = 0; i < nr; i++)
        {
            reasons.Add(r.String());
        }

        r.End();
        var report = new ScanReport((ScanStatus)status, findings.MoveToImmutable(), reasons.MoveToImmutable(), items, elapsed);
        return new LocalDecision(report, recipients.MoveToImmutable(), changed);
    }
}
