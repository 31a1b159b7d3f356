using System.Collections.Immutable;
using System.Net.Sockets;
using System.Text;

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
        ArgumentOutOfRangeException.ThrowIfZero(envelope.Recipients.Length);
        foreach (var address in envelope.Recipients.Select(r => r.Address).Prepend(envelope.Sender))
        {
            SmtpAddress.Check(address);
        }

        foreach (var p in envelope.MailParameters.Concat(envelope.Recipients.SelectMany(r => r.Parameters)).Concat(envelope.Xforward.Values))
        {
            SmtpAddress.CheckParameter(p);
        }

        using var tcp = new TcpClient();
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connect.CancelAfter(options.ConnectTimeout);
            try
            {
                await tcp.ConnectAsync(host, port, connect.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new SmtpException($"cannot connect to {host}:{port}: {e.Message}", e);
            }
        }

        await using var stream = tcp.GetStream();
        var session = new Session(stream, options, cancellationToken);
        return await session.RunAsync(envelope, message);
    }

    private sealed class Session(NetworkStream stream, SmtpClientOptions options, CancellationToken ct)
    {
        private readonly SmtpReplyReader reader = new(stream, options.MaxReplyLines);

        public async Task<SmtpDelivery> RunAsync(SmtpEnvelope envelope, ReadOnlyMemory<byte> message)
        {
            Expect("greeting", await ReadAsync());
            var ehlo = await CommandAsync($"EHLO {options.HeloName}");
            var extensions = ehlo.IsPositive
                ? ehlo.Text.Split('\n').Skip(1).Select(l => l.Split(' ')).DistinctBy(w => w[0].ToUpperInvariant()).ToDictionary(w => w[0].ToUpperInvariant(), w => w.Skip(1).ToArray())
                : [];
            if (!ehlo.IsPositive)
            {
                Expect("HELO", await CommandAsync($"HELO {options.HeloName}"));
            }

            await XforwardAsync(envelope, extensions);
            Expect("MAIL FROM", await CommandAsync(MailCommand(envelope, message, extensions)));
            var accepted = ImmutableArray.CreateBuilder<string>();
            var refused = ImmutableArray.CreateBuilder<KeyValuePair<string, SmtpReply>>();
            SmtpReply? lastRefusal = null;
            var dsn = extensions.ContainsKey("DSN");
            foreach (var r in envelope.Recipients)
            {
                var command = $"RCPT TO:<{r.Address}>";
                if (dsn && r.Parameters.Length > 0)
                {
                    command += " " + string.Join(' ', r.Parameters);
                }

                var reply = await CommandAsync(command);
                if (reply.IsPositive)
                {
                    accepted.Add(r.Address);
                }
                else
                {
                    refused.Add(new(r.Address, reply));
                    lastRefusal = reply;
                }
            }

            if (options.AllRecipientsOrNone && refused.Count > 0)
            {
                await QuitQuietlyAsync();
                throw new SmtpException($"RCPT TO <{refused[0].Key}>", refused[0].Value);
            }

            if (accepted.Count == 0)
            {
                await QuitQuietlyAsync();
                throw new SmtpException("RCPT TO (every recipient)", lastRefusal!);
            }

            var go = await CommandAsync("DATA");
            if (go.Code != 354)
            {
                throw new SmtpException("DATA", go);
            }

            await stream.WriteAsync(DataEncoder.Encode(message.Span), ct);
            var done = await ReadAsync();
            Expect("end of data", done);
            await QuitQuietlyAsync();
            return new SmtpDelivery(accepted.ToImmutable(), refused.ToImmutable(), done);
        }

        private static string MailCommand(SmtpEnvelope envelope, ReadOnlyMemory<byte> message, Dictionary<string, string[]> extensions)
        {
            var mail = new StringBuilder($"MAIL FROM:<{envelope.Sender}>");
            var body = envelope.MailParameter("BODY");
            if (extensions.ContainsKey("8BITMIME") && (body is not null || DataEncoder.HasEightBit(message.Span)))
            {
                mail.Append(" BODY=").Append(body ?? "8BITMIME");
            }

            if (extensions.ContainsKey("SMTPUTF8")
                && (envelope.MailParameter("SMTPUTF8") is not null || envelope.Recipients.Select(r => r.Address).Prepend(envelope.Sender).Any(a => !Ascii.IsValid(a))))
            {
                mail.Append(" SMTPUTF8");
            }

            if (extensions.ContainsKey("DSN"))
            {
                foreach (var p in envelope.MailParameters.Where(p => p.StartsWith("RET=", StringComparison.OrdinalIgnoreCase) || p.StartsWith("ENVID=", StringComparison.OrdinalIgnoreCase)))
                {
                    mail.Append(' ').Append(p);
                }
            }

            return mail.ToString();
        }

        /// <summary>XFORWARD with the attributes the server names, in commands short enough for any server
        /// (Postfix's XFORWARD_README: the client splits them so each line stays under 512 octets).</summary>
        private async Task XforwardAsync(SmtpEnvelope envelope, Dictionary<string, string[]> extensions)
        {
            if (envelope.Xforward.IsEmpty || !extensions.TryGetValue("XFORWARD", out var names))
            {
                return;
            }

            var line = new StringBuilder("XFORWARD");
            foreach (var (k, v) in envelope.Xforward.Where(kv => names.Contains(kv.Key, StringComparer.OrdinalIgnoreCase)).OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var pair = $" {k.ToUpperInvariant()}={v}";
                if (line.Length + pair.Length > 500 && line.Length > "XFORWARD".Length)
                {
                    Expect("XFORWARD", await CommandAsync(line.ToString()));
                    line.Clear().Append("XFORWARD");
                }

                line.Append(pair);
            }

            if (line.Length > "XFORWARD".Length)
            {
                Expect("XFORWARD", await CommandAsync(line.ToString()));
            }
        }

        private async Task<SmtpReply> CommandAsync(string command)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(command + "\r\n"), ct);
            return await ReadAsync();
        }

        private async Task<SmtpReply> ReadAsync()
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.ReplyTimeout);
            try
            {
                return await reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new SmtpException($"no reply within {options.ReplyTimeout.TotalSeconds:0} s");
            }
            catch (IOException e)
            {
                throw new SmtpException($"connection lost: {e.Message}", e);
            }
        }

        private async Task QuitQuietlyAsync()
        {
            try
            {
                await CommandAsync("QUIT");
            }
            catch (SmtpException)
            {
                // The transaction is already decided; a server that hangs up on QUIT changes nothing.
            }
        }

        private static void Expect(string step, SmtpReply reply)
        {
            if (!reply.IsPositive)
            {
                throw new SmtpException(step, reply);
            }
        }
    }
}
