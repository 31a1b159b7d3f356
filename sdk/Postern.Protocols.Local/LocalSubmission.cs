using System.Collections.Immutable;
using Postern.Sdk.Messages;

namespace Postern.Protocols.Local;

/// <summary>The submit frame: the envelope of one message and how many message bytes follow. Immutable.</summary>
/// <param name="Envelope">Sender, recipients, client information and the agent whose policy section applies.</param>
/// <param name="MessageLength">The exact number of message bytes the client sends after this frame.</param>
public sealed record LocalSubmission(Envelope Envelope, long MessageLength)
{
    /// <summary>The most recipients one submission may carry.</summary>
    public const int MaxRecipients = 10_000;

    /// <summary>Encodes the frame payload.</summary>
    /// <returns>The payload; throws <see cref="LocalProtocolException"/> when it would exceed the frame limit.</returns>
    public ReadOnlyMemory<byte> Encode()
    {
        var w = new FieldWriter();
        w.Byte(LocalFrames.Version);
        w.Int64(MessageLength);
        w.String(Envelope.Agent);
        w.String(Envelope.Sender);
        w.String(Envelope.ClientAddress);
        w.String(Envelope.ClientName);
        w.String(Envelope.Helo);
        w.String(Envelope.QueueId);
        var recipients = Envelope.Recipients.IsDefault ? [] : Envelope.Recipients;
        w.Int32(recipients.Length);
        foreach (var r in recipients)
        {
            w.String(r);
        }

        return w.ToMemory();
    }

    /// <summary>Decodes a submit frame payload.</summary>
    /// <param name="payload">The payload as received.</param>
    /// <returns>The submission; throws <see cref="LocalProtocolException"/> for anything malformed.</returns>
    public static LocalSubmission Decode(byte[] payload)
    {
        var r = new FieldReader(payload);
        var version = r.Byte();
        if (version != LocalFrames.Version)
        {
            throw new LocalProtocolException($"protocol version {version} is not supported (this side speaks {LocalFrames.Version})");
        }

        var length = r.Int64();
        if (length < 0)
        {
            throw new LocalProtocolException("negative message length");
        }

        var agent = r.String();
        var sender = r.String();
        var clientAddress = Optional(r.String());
        var clientName = Optional(r.String());
        var helo = Optional(r.String());
        var queueId = Optional(r.String());
        var count = r.Count(MaxRecipients, "recipients");
        var recipients = ImmutableArray.CreateBuilder<string>(count);
        for (var i = 0; i < count; i++)
        {
            recipients.Add(r.String());
        }

        r.End();
        return new LocalSubmission(new Envelope(sender, recipients.MoveToImmutable(), clientAddress, clientName, helo, queueId, agent), length);
    }

    private static string? Optional(string s) => s.Length == 0 ? null : s;
}
