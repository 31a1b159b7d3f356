using System.Collections.Immutable;

namespace Postern.Protocols.Smtp;

/// <summary>The outcome of one transaction the server took: what it said to each recipient and to the data.</summary>
/// <param name="Accepted">The recipients the server accepted.</param>
/// <param name="Refused">The recipients the server refused, with its reply.</param>
/// <param name="DataReply">The reply to the end of data: the server took responsibility for the message.</param>
public sealed record SmtpDelivery(
    ImmutableArray<string> Accepted,
    ImmutableArray<KeyValuePair<string, SmtpReply>> Refused,
    SmtpReply DataReply);
