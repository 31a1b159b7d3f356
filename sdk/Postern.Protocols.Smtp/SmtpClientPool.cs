using System.Collections.Concurrent;

namespace Postern.Protocols.Smtp;

/// <summary>
/// An <see cref="SmtpClient"/> for one server that keeps connections open between messages (as Postfix's own SMTP
/// client caches them), so a busy reinjection path skips the connect, greeting and EHLO of every message.
/// </summary>
/// <remarks>
/// <para>Threading: <see cref="SendAsync"/> may run concurrently; each call has a connection to itself.</para>
/// <para>Errors: as <see cref="SmtpClient.SendAsync(string, int, SmtpEnvelope, ReadOnlyMemory{byte}, CancellationToken)"/>.
/// A kept connection that the server closed in the meantime is noticed before the message bytes were sent, and the
/// transaction is then retried once on a new connection; after the bytes were sent nothing is retried (the server
/// may have taken the message).</para>
/// </remarks>
public sealed class SmtpClientPool(string host, int port, SmtpClientOptions options, int maxIdle, TimeSpan maxIdleTime) : IAsyncDisposable
{
    private readonly ConcurrentBag<SmtpConnection> idle = [];
    private int disposed;

    /// <summary>Delivers one message with its envelope; see <see cref="SmtpClient"/>.</summary>
    public async Task<SmtpDelivery> SendAsync(SmtpEnvelope envelope, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        SmtpClient.Validate(envelope);
        for (var attempt = 0; ; attempt++)
        {
            var kept = Take();
            var connection = kept ?? await SmtpConnection.OpenAsync(host, port, options, cancellationToken);
            try
            {
                var delivery = await connection.TransactAsync(envelope, message, cancellationToken);
                Return(connection);
                return delivery;
            }
            catch (SmtpException e) when (kept is not null && attempt == 0 && !connection.DataSent && e.Reply is null)
            {
                // A kept connection the server had closed: nothing was handed over; once more on a fresh one.
                await connection.DisposeAsync();
            }
            catch
            {
                if (connection.IsReusable)
                {
                    Return(connection);
                }
                else
                {
                    await connection.DisposeAsync();
                }

                throw;
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref disposed, 1);
        while (idle.TryTake(out var c))
        {
            await c.QuitAsync(CancellationToken.None);
            await c.DisposeAsync();
        }
    }

    private SmtpConnection? Take()
    {
        while (idle.TryTake(out var c))
        {
            if (Environment.TickCount64 - c.LastUsed < maxIdleTime.TotalMilliseconds)
            {
                return c;
            }

            _ = c.DisposeAsync().AsTask();
        }

        return null;
    }

    private void Return(SmtpConnection c)
    {
        if (c.IsReusable && Volatile.Read(ref disposed) == 0 && idle.Count < maxIdle)
        {
            idle.Add(c);
        }
        else
        {
            _ = c.DisposeAsync().AsTask();
        }
    }
}
