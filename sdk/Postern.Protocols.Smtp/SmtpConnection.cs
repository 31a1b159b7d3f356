using System.Collections.Immutable;
using System.Net.Sockets;
using System.Text;

namespace Postern.Protocols.Smtp;

/// <summary>
/// One client connection, greeted and EHLO'd, that carries transactions one after another. After a transaction the
/// server took, or one it refused before DATA (followed by RSET), the connection can carry the next;
/// <see cref="IsReusable"/> says so.
/// </summary>
internal sealed class SmtpConnection : IAsyncDisposable
{
    private readonly TcpClient tcp;
    private readonly NetworkStream stream;
    private readonly SmtpReplyReader reader;
    private readonly SmtpClientOptions options;
    private Dictionary<string, string[]> extensions = [];

    private SmtpConnection(TcpClient tcp, SmtpClientOptions options)
    {
        this.tcp = tcp;
        this.options = options;
        stream = tcp.GetStream();
        reader = new SmtpReplyReader(stream, options.MaxReplyLines);
    }

    /// <summary>False once anything went wrong on the connection; then it must be closed.</summary>
    public bool IsReusable { get; private set; } = true;

    /// <summary>True once the message bytes of the current transaction were written: from then on a failure leaves
    /// it unknown whether the server took the message, so it must not be sent again on another connection.</summary>
    public bool DataSent { get; private set; }

    /// <summary>When the last transaction ended.</summary>
    public long LastUsed { get; private set; } = Environment.TickCount64;

    public static async Task<SmtpConnection> OpenAsync(string host, int port, SmtpClientOptions options, CancellationToken ct)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                connect.CancelAfter(options.ConnectTimeout);
                try
                {
                    await tcp.ConnectAsync(host, port, connect.Token);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
                {
                    throw new SmtpException($"cannot connect to {host}:{port}: {e.Message}", e);
                }
            }

            var c = new SmtpConnection(tcp, options);
            await c.GreetAsync(ct);
            return c;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    public async Task<SmtpDelivery> TransactAsync(SmtpEnvelope envelope, ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        DataSent = false;
        try
        {
            return await RunAsync(envelope, message, ct);
        }
        catch (Exception e)
        {
            // A refusal leaves the session clean (RunAsync sent RSET where a transaction was open, or the server
            // ended it by refusing the data); anything else leaves it in an unknown state.
            if (e is not SmtpException { Reply: not null })
            {
                IsReusable = false;
            }

            throw;
        }
        finally
        {
            LastUsed = Environment.TickCount64;
        }
    }

    public async Task QuitAsync(CancellationToken ct)
    {
        IsReusable = false;
        try
        {
            await CommandAsync("QUIT", ct);
        }
        catch (Exception e) when (e is SmtpException or IOException or OperationCanceledException)
        {
            // The transaction is already decided; a server that hangs up on QUIT changes nothing.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        tcp.Dispose();
    }

    private async Task GreetAsync(CancellationToken ct)
    {
        Expect("greeting", await ReadAsync(ct));
        var ehlo = await CommandAsync($"EHLO {options.HeloName}", ct);
        if (ehlo.IsPositive)
        {
            extensions = ehlo.Text.Split('\n').Skip(1).Select(l => l.Split(' ')).DistinctBy(w => w[0].ToUpperInvariant())
                .ToDictionary(w => w[0].ToUpperInvariant(), w => w.Skip(1).ToArray());
        }
        else
        {
            Expect("HELO", await CommandAsync($"HELO {options.HeloName}", ct));
        }
    }

    private async Task<SmtpDelivery> RunAsync(SmtpEnvelope envelope, ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        await XforwardAsync(envelope, ct);
        var mail = await CommandAsync(MailCommand(envelope, message), ct);
        if (!mail.IsPositive)
        {
            await ResetAsync(ct);
            throw new SmtpException("MAIL FROM", mail);
        }

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

            var reply = await CommandAsync(command, ct);
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
            await ResetAsync(ct);
            throw new SmtpException($"RCPT TO <{refused[0].Key}>", refused[0].Value);
        }

        if (accepted.Count == 0)
        {
            await ResetAsync(ct);
            throw new SmtpException("RCPT TO (every recipient)", lastRefusal!);
        }

        var go = await CommandAsync("DATA", ct);
        if (go.Code != 354)
        {
            await ResetAsync(ct);
            throw new SmtpException("DATA", go);
        }

        DataSent = true;
        try
        {
            // Pooled up to 4 MiB (most mail); a rare larger message gets its own array rather than parking one in the pool.
            var size = DataEncoder.EncodedLength(message.Span);
            var pooled = size <= 4 << 20;
            var payload = pooled ? System.Buffers.ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);
            var length = DataEncoder.Encode(message.Span, payload);
            await stream.WriteAsync(payload.AsMemory(0, length), ct);
            if (pooled)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(payload);
            }
        }
        catch (IOException e)
        {
            throw new SmtpException($"connection lost: {e.Message}", e);
        }

        var done = await ReadAsync(ct);
        Expect("end of data", done);
        return new SmtpDelivery(accepted.ToImmutable(), refused.ToImmutable(), done);
    }

    /// <summary>RSET after a refusal so the connection is clean for the next transaction; a failing RSET marks the
    /// connection unusable (the caller closes it).</summary>
    private async Task ResetAsync(CancellationToken ct)
    {
        try
        {
            if (!(await CommandAsync("RSET", ct)).IsPositive)
            {
                IsReusable = false;
            }
        }
        catch (SmtpException)
        {
            IsReusable = false;
        }
    }

    private string MailCommand(SmtpEnvelope envelope, ReadOnlyMemory<byte> message)
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
    private async Task XforwardAsync(SmtpEnvelope envelope, CancellationToken ct)
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
                Expect("XFORWARD", await CommandAsync(line.ToString(), ct));
                line.Clear().Append("XFORWARD");
            }

            line.Append(pair);
        }

        if (line.Length > "XFORWARD".Length)
        {
            Expect("XFORWARD", await CommandAsync(line.ToString(), ct));
        }
    }

    private async Task<SmtpReply> CommandAsync(string command, CancellationToken ct)
    {
        try
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(command + "\r\n"), ct);
        }
        catch (IOException e)
        {
            throw new SmtpException($"connection lost: {e.Message}", e);
        }

        return await ReadAsync(ct);
    }

    private async Task<SmtpReply> ReadAsync(CancellationToken ct)
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

    private static void Expect(string step, SmtpReply reply)
    {
        if (!reply.IsPositive)
        {
            throw new SmtpException(step, reply);
        }
    }
}
