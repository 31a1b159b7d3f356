using System.Net;

namespace Postern.Protocols.Smtp;

/// <summary>Where <see cref="SmtpServer"/> listens and the hard limits it enforces on every client. Immutable.
/// Each default says where it comes from.</summary>
public sealed record SmtpServerOptions
{
    /// <summary>The address and port to listen on; port 0 picks a free one.</summary>
    public IPEndPoint Endpoint { get; init; } = new(IPAddress.Loopback, 10025);

    /// <summary>The name in the greeting and the EHLO reply.</summary>
    public string HostName { get; init; } = "localhost";

    /// <summary>Connections served at once; one more is told <c>421 4.3.2</c> and closed. Postfix feeds a content
    /// filter through a transport whose master.cf maxproc is typically 10-20; 100 matches default_process_limit.</summary>
    public int MaxConnections { get; init; } = 100;

    /// <summary>Largest message in octets (after dot-unstuffing), advertised as SIZE. A bigger one is read to its end
    /// and refused with 552 5.3.4. 50 MiB: five times Postfix's default message_size_limit (10240000).</summary>
    public long MaxMessageSize { get; init; } = 50L * 1024 * 1024;

    /// <summary>Longest command line in octets, CRLF included. RFC 5321 4.5.3.1.4 says 512; ESMTP parameters
    /// (ORCPT, ENVID, XFORWARD values of up to 255 each) need more, as Postfix allows (line_length_limit 2048).</summary>
    public int MaxCommandLineLength { get; init; } = 2048;

    /// <summary>Longest data line in octets, CRLF included. RFC 5321 4.5.3.1.6 says 1000 and Postfix's SMTP client
    /// folds at 999 (smtp_line_length_limit); 64 KiB leaves room for sloppy senders while bounding the damage.</summary>
    public int MaxDataLineLength { get; init; } = 65536;

    /// <summary>Recipients per transaction; more get 452 4.5.3 (RFC 5321 4.5.3.1.8 asks for at least 100; Postfix's
    /// smtpd_recipient_limit is 1000).</summary>
    public int MaxRecipients { get; init; } = 1000;

    /// <summary>Commands per connection before 421; a Postfix client reuses a connection for many messages.</summary>
    public int MaxCommands { get; init; } = 100_000;

    /// <summary>Commands that move no transaction forward (NOOP, RSET, VRFY, HELP, unknown or refused ones) per
    /// connection before 421; Postfix's smtpd_junk_command_limit is 100 and smtpd_hard_error_limit 20.</summary>
    public int MaxJunkCommands { get; init; } = 100;

    /// <summary>Longest wait for the next bytes from the client; 300 s is Postfix's smtpd_timeout and RFC 5321
    /// 4.5.3.2.7's server timeout.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>What to do with a bare CR or bare LF inside DATA. Either way it never ends the data and never
    /// reaches a next hop as such.</summary>
    public BareLineEndingPolicy BareLineEndings { get; init; } = BareLineEndingPolicy.Reject;

    /// <summary>Accept XFORWARD (client attributes from the MTA). Only for listeners that only trusted MTAs reach.</summary>
    public bool AllowXforward { get; init; } = true;
}
