using System.Collections.Immutable;

namespace Postern.Protocols.Smtp;

/// <summary>One envelope recipient with its RCPT TO parameters. Immutable.</summary>
/// <param name="Address">The address without angle brackets.</param>
/// <param name="Parameters">The ESMTP parameters as given (<c>NOTIFY=SUCCESS,FAILURE</c>, <c>ORCPT=rfc822;a@b</c>),
/// passed on verbatim when the message is reinjected.</param>
public sealed record SmtpRecipient(string Address, ImmutableArray<string> Parameters)
{
    /// <summary>A recipient without parameters.</summary>
    public SmtpRecipient(string address)
        : this(address, [])
    {
    }
}
