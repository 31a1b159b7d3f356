namespace Postern.Protocols.Smtp;

/// <summary>How <see cref="SmtpServer"/> treats a CR or LF that is not part of a CRLF inside DATA (RFC 5321 2.3.8
/// forbids them; they are the SMTP-smuggling vector). Neither ever ends the data.</summary>
public enum BareLineEndingPolicy
{
    /// <summary>Refuse the message with 554 5.6.0 after reading it to its end.</summary>
    Reject,

    /// <summary>Turn each into CRLF in the received copy, so the message and whatever is passed on agree on lines.</summary>
    Normalize,
}
