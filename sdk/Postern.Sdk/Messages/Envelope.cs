using System.Collections.Immutable;

namespace Postern.Sdk.Messages;

/// <summary>The SMTP envelope and client information of one message, as the MTA gave it. Immutable.</summary>
/// <param name="Sender">The envelope sender (MAIL FROM) without angle brackets; empty for the null sender.</param>
/// <param name="Recipients">The envelope recipients (RCPT TO), without angle brackets.</param>
/// <param name="ClientAddress">The connecting client's IP address, when known.</param>
/// <param name="ClientName">The client's verified host name, when known.</param>
/// <param name="Helo">The HELO/EHLO name, when known.</param>
/// <param name="QueueId">The MTA's queue id, for logs that an admin can match with the MTA's own.</param>
/// <param name="Agent">The name of the agent that received the message (<c>postfix</c>, <c>mda</c>, <c>cli</c>).</param>
public sealed record Envelope(
    string Sender,
    ImmutableArray<string> Recipients,
    string? ClientAddress = null,
    string? ClientName = null,
    string? Helo = null,
    string? QueueId = null,
    string Agent = "cli");
