using System.Collections.Immutable;

namespace Postern.Protocols.Smtp;

/// <summary>What a transaction says about a message besides its bytes: the sender and its MAIL FROM parameters, the
/// recipients with theirs, and the client attributes the MTA forwarded with XFORWARD. Immutable; the server builds it,
/// the client sends it on unchanged.</summary>
/// <param name="Sender">The MAIL FROM address without angle brackets; empty for the null sender.</param>
/// <param name="MailParameters">MAIL FROM parameters as given (<c>BODY=8BITMIME</c>, <c>RET=HDRS</c>, <c>ENVID=...</c>,
/// <c>SMTPUTF8</c>); SIZE is not kept (the client sends no size).</param>
/// <param name="Recipients">The accepted recipients, in order.</param>
/// <param name="Xforward">XFORWARD attributes (NAME, ADDR, PORT, PROTO, HELO, IDENT, SOURCE), values still
/// xtext-encoded as received, keys upper-case.</param>
public sealed record SmtpEnvelope(
    string Sender,
    ImmutableArray<string> MailParameters,
    ImmutableArray<SmtpRecipient> Recipients,
    ImmutableDictionary<string, string> Xforward)
{
    /// <summary>The value of a MAIL FROM parameter (<c>BODY</c>), or null.</summary>
    public string? MailParameter(string name) =>
        MailParameters.Select(p => p.Split('=', 2)).FirstOrDefault(kv => kv[0].Equals(name, StringComparison.OrdinalIgnoreCase)) is { } kv
            ? (kv.Length > 1 ? kv[1] : "")
            : null;
}
