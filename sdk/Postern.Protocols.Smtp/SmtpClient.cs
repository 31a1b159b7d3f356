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
    public async Task<SmtpDelivery> SendAsync(
        string host, int port, string sender, IReadOnlyList<string> recipients, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(recipients.Count);
        foreach (var address in recipients.Prepend(sender))
        {
            SmtpAddress.Check(address);
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
        return await session.RunAsync(sender, recipients, message);
    }

    private sealed class Session(NetworkStream stream, SmtpClientOptions options, CancellationToken ct)
    {
        private readonly SmtpReplyReader reader = new(stream, options.MaxReplyLines);

        public async Task<SmtpDelivery> RunAsync(string sender, IReadOnlyList<string> recipients, ReadOnlyMemory<byte> message)
        {
            Expect("greeting", await ReadAsync());
            var ehlo = await CommandAsync($"EHLO {options.HeloName}");
            var extensions = ehlo.IsPositive ? ehlo.Text.Split('\n').Skip(1).Select(l => l.Split(' ')[0].ToUpperInvariant()).ToHashSet() : [];
            if (!ehlo.IsPositive)
            {
                Expect("HELO", await CommandAsync($"HELO {options.HeloName}"));
            }

            var mail = $"MAIL FROM:<{sender}>";
            if (DataEncoder.HasEightBit(message.Span) && extensions.Contains("8BITMIME"))
            {
                mail += " BODY=8BITMIME";
            }

            if (recipients.Prepend(sender).Any(a => !Ascii.IsValid(a)) && extensions.Contains("SMTPUTF8"))
            {
                mail += " SMTPUTF8";
            }

            Expect("MAIL FROM", await CommandAsync(mail));
            var accepted = ImmutableArray.CreateBuilder<string>();
            var refused = ImmutableArray.CreateBuilder<KeyValuePair<string, SmtpReply>>();
            SmtpReply? lastRefusal = null;
            foreach (var r in recipients)
            {
                var reply = await CommandAsync($"RCPT TO:<{r}>");
                if (reply.IsPositive)
                {
                    accepted.Add(r);
                }
                else
                {
                    refused.Add(new(r, reply));
                    lastRefusal = reply;
                }
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
