using System.Collections.Immutable;

namespace Postern.Protocols.Smtp;

/// <summary>
/// Hands one message to an SMTP server: EHLO (HELO as a fallback), MAIL FROM, RCPT TO per recipient, DATA, QUIT.
/// No TLS or AUTH: it is meant for a reinjection port on the same host (Postfix's 127.0.0.1:10026).
/// </summary>
/// <remarks>
/// <para>Threading: one transaction per call; calls do not share state and may run concurrently.</para>
/// <para>Errors: throws <see cref="SmtpException"/> when the server refuses the sender, every recipient or the data,
/// or the conversation breaks; then the server has not taken the message. Returns only once the server answered the
/// end of data with 2xx. Throws <see cref="OperationCanceledException"/> when the token fires.</para>
/// </remarks>
public sealed class SmtpClient(SmtpClientOptions options)
{
    /// <summary>Delivers <paramref name="message"/> to <paramref name="recipients"/> through host:port.</summary>
    /// <param name="host">Server name or address.</param>
    /// <param name="port">Server port.</param>
    /// <param name="sender">The envelope sender without angle brackets; empty for the null sender.</param>
    /// <param name="recipients">The envelope recipients; at least one.</param>
    /// <param name="message">The message, any line endings.</param>
    /// <param name="cancellationToken">Abandons the transaction (the server then discards it).</param>
    public Task<SmtpDelivery> SendAsync(
        string host, int port, string sender, IReadOnlyList<string> recipients, ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
        SendAsync(host, port, new SmtpEnvelope(sender, [], [.. recipients.Select(r => new SmtpRecipient(r))], ImmutableDictionary<string, string>.Empty),
            message, cancellationToken);

    /// <summary>Reinjects a message with its whole envelope: the MAIL FROM parameters (BODY, SMTPUTF8, RET, ENVID),
    /// each recipient's (NOTIFY, ORCPT) and the XFORWARD attributes, each sent when the server announces the
    /// extension (DSN, 8BITMIME, SMTPUTF8, XFORWARD and the attribute itself) and left out otherwise.</summary>
    /// <param name="host">Server name or address.</param>
    /// <param name="port">Server port.</param>
    /// <param name="envelope">The envelope as received; at least one recipient.</param>
    /// <param name="message">The message, any line endings.</param>
    /// <param name="cancellationToken">Abandons the transaction (the server then discards it).</param>
    public async Task<SmtpDelivery> SendAsync(string host, int port, SmtpEnvelope envelope, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        Validate(envelope);
        await using var connection = await SmtpConnection.OpenAsync(host, port, options, cancellationToken);
        var delivery = await connection.TransactAsync(envelope, message, cancellationToken);
        await connection.QuitAsync(cancellationToken);
        return delivery;
    }

    /// <summary>Refuses an envelope that would break the command syntax (see <see cref="SmtpAddress"/>).</summary>
    internal static void Validate(SmtpEnvelope envelope)
    {
        ArgumentOutOfRangeException.ThrowIfZero(envelope.Recipients.Length);
        foreach (var address in envelope.Recipients.Select(r => r.Address).Prepend(envelope.Sender))
        {
            SmtpAddress.Check(address);
        }

        foreach (var p in envelope.MailParameters.Concat(envelope.Recipients.SelectMany(r => r.Parameters)).Concat(envelope.Xforward.Values))
        {
            SmtpAddress.CheckParameter(p);
        }
    }
}
