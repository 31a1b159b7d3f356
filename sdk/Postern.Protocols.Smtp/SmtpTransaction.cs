using System.Net;

namespace Postern.Protocols.Smtp;

/// <summary>One message an <see cref="SmtpServer"/> received completely and within its limits. Immutable.</summary>
/// <param name="Envelope">Sender, recipients, their parameters and the forwarded client attributes.</param>
/// <param name="Helo">The EHLO or HELO argument of the session.</param>
/// <param name="Client">The peer of the connection.</param>
/// <param name="Message">The message: dot-stuffing undone, CRLF line ends, without the terminating <c>.</c> line.</param>
/// <param name="BareLineEndingsNormalized">True when bare CR or LF were turned into CRLF
/// (<see cref="BareLineEndingPolicy.Normalize"/>).</param>
public sealed record SmtpTransaction(
    SmtpEnvelope Envelope,
    string Helo,
    IPEndPoint? Client,
    ReadOnlyMemory<byte> Message,
    bool BareLineEndingsNormalized);
