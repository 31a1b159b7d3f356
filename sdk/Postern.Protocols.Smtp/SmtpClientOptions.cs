namespace Postern.Protocols.Smtp;

/// <summary>How <see cref="SmtpClient"/> talks to its server.</summary>
public sealed record SmtpClientOptions
{
    /// <summary>The name sent with EHLO/HELO.</summary>
    public string HeloName { get; init; } = "localhost";

    /// <summary>Connect timeout. 30 s is Postfix's smtp_connect_timeout.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time to wait for each reply. RFC 5321 4.5.3.2 suggests 5 minutes for most commands and 10 for the
    /// end of data; a reinjection server on the same host answers in well under that, so one shorter figure is used.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest reply accepted, in lines; a server that talks without end is broken.</summary>
    public int MaxReplyLines { get; init; } = 100;

    /// <summary>When the server refuses any recipient, abandon the transaction before DATA and throw, instead of
    /// delivering to the rest. A content filter that has already accepted every recipient from its MTA needs this:
    /// it can answer the MTA only once for the whole message.</summary>
    public bool AllRecipientsOrNone { get; init; }
}
