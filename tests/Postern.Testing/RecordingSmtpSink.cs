using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postern.Testing;

/// <summary>
/// A final destination for integration tests: a real SMTP server on 127.0.0.1 that records every transaction it
/// accepts (envelope, DSN parameters, XFORWARD attributes, the exact bytes). Advertises PIPELINING, SIZE, 8BITMIME,
/// SMTPUTF8, DSN and XFORWARD so that a client passes everything through. Written independently of the SMTP kit so
/// that it can judge it.
/// </summary>
/// <remarks>Threading: every member may be used from any thread while the sink serves. Errors: a broken client
/// connection is dropped; nothing throws out of the serving loop.</remarks>
public sealed class RecordingSmtpSink : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task serving;
    private readonly SemaphoreSlim arrived = new(0);

    /// <summary>Starts listening on 127.0.0.1:<paramref name="port"/> (0: any free port).</summary>
    public RecordingSmtpSink(int port = 0)
    {
        listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start(64);
        serving = Task.Run(ServeAsync);
    }

    /// <summary>The port the sink listens on.</summary>
    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>The reply code to each RCPT TO address; 250 by default.</summary>
    public Func<string, int> RecipientReply { get; set; } = _ => 250;

    /// <summary>The reply code to the end of data; 250 by default.</summary>
    public Func<RecordedMessage, int> DataReply { get; set; } = _ => 250;

    /// <summary>Every message answered 250 at the end of data, in arrival order.</summary>
    public ConcurrentQueue<RecordedMessage> Messages { get; } = new();

    /// <summary>Every command line received, in order (data lines excluded).</summary>
    public ConcurrentQueue<string> Commands { get; } = new();

    /// <summary>Waits until at least <paramref name="count"/> messages arrived; false on timeout.</summary>
    public async Task<bool> WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Messages.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await arrived.WaitAsync(left))
            {
                return Messages.Count >= count;
            }
        }

        return true;
    }

    /// <summary>The messages whose header block contains <paramref name="headerText"/> (case-insensitive).</summary>
    public IReadOnlyList<RecordedMessage> WithHeader(string headerText) =>
        [.. Messages.Where(m => m.Headers.Contains(headerText, StringComparison.OrdinalIgnoreCase))];

    /// <summary>Waits until a message whose header block contains <paramref name="headerText"/> arrived; null on
    /// timeout.</summary>
    public async Task<RecordedMessage?> WaitForHeaderAsync(string headerText, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (WithHeader(headerText) is [var m, ..])
            {
                return m;
            }

            await Task.Delay(100);
        }

        return null;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await serving;
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
        arrived.Dispose();
    }

    private async Task ServeAsync()
    {
        var sessions = new List<Task>();
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }

            sessions.Add(Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        await SessionAsync(client.GetStream(), stop.Token);
                    }
                    catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
                    {
                        // The client went away; nothing of its transaction was recorded.
                    }
                }
            }));
        }

        await Task.WhenAll(sessions);
    }

    private async Task SessionAsync(NetworkStream stream, CancellationToken ct)
    {
        var reader = new LineReader(stream);
        async Task Reply(string s) => await stream.WriteAsync(Encoding.ASCII.GetBytes(s + "\r\n"), ct);
        await Reply("220 sink.test ESMTP recording sink");
        string helo = "", sender = "", mailParams = "";
        bool inMail = false;
        var rcpts = ImmutableArray.CreateBuilder<string>();
        var rcptParams = ImmutableArray.CreateBuilder<string>();
        var xforward = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            var raw = await reader.ReadLineAsync(ct);
            if (raw is null)
            {
                return;
            }

            var line = Encoding.UTF8.GetString(raw).TrimEnd('\r', '\n');
            Commands.Enqueue(line);
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            var arg = line.Length > verb.Length ? line[(verb.Length + 1)..] : "";
            switch (verb)
            {
                case "EHLO":
                    helo = arg;
                    await Reply("250-sink.test\r\n250-PIPELINING\r\n250-SIZE 209715200\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-DSN\r\n250-XFORWARD NAME ADDR PROTO HELO IDENT SOURCE\r\n250 ENHANCEDSTATUSCODES");
                    break;
                case "HELO":
                    helo = arg;
                    await Reply("250 sink.test");
                    break;
                case "XFORWARD":
                    foreach (var pair in arg.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        var eq = pair.IndexOf('=', StringComparison.Ordinal);
                        if (eq > 0)
                        {
                            xforward[pair[..eq]] = pair[(eq + 1)..];
                        }
                    }

                    await Reply("250 2.0.0 Ok");
                    break;
                case "MAIL":
                    (sender, mailParams) = SplitPath(arg);
                    inMail = true;
                    rcpts.Clear();
                    rcptParams.Clear();
                    await Reply("250 2.1.0 Ok");
                    break;
                case "RCPT":
                    var (rcpt, rp) = SplitPath(arg);
                    var code = inMail ? RecipientReply(rcpt) : 503;
                    if (code == 250)
                    {
                        rcpts.Add(rcpt);
                        rcptParams.Add(rp);
                    }

                    await Reply($"{code} {(code == 250 ? "2.1.5 Ok" : "refused by the test")}");
                    break;
                case "DATA":
                    if (!inMail || rcpts.Count == 0)
                    {
                        await Reply("554 5.5.1 no valid recipients");
                        break;
                    }

                    await Reply("354 go ahead");
                    var data = await ReadDataAsync(reader, ct);
                    if (data is null)
                    {
                        return;
                    }

                    var message = new RecordedMessage(sender, mailParams, rcpts.ToImmutable(), rcptParams.ToImmutable(), xforward.ToImmutable(), helo, data);
                    var dataCode = DataReply(message);
                    if (dataCode == 250)
                    {
                        Messages.Enqueue(message);
                        arrived.Release();
                    }

                    await Reply($"{dataCode} {(dataCode == 250 ? "2.0.0 Ok: recorded" : "refused by the test")}");
                    inMail = false;
                    xforward.Clear();
                    break;
                case "RSET":
                    inMail = false;
                    await Reply("250 2.0.0 Ok");
                    break;
                case "NOOP":
                    await Reply("250 2.0.0 Ok");
                    break;
                case "QUIT":
                    await Reply("221 2.0.0 Bye");
                    return;
                default:
                    await Reply("502 5.5.2 not implemented");
                    break;
            }
        }
    }

    private static async Task<byte[]?> ReadDataAsync(LineReader reader, CancellationToken ct)
    {
        var data = new MemoryStream();
        while (true)
        {
            var line = await reader.ReadLineAsync(ct);
            if (line is null)
            {
                return null;
            }

            if (line.AsSpan().SequenceEqual(".\r\n"u8))
            {
                return data.ToArray();
            }

            data.Write(line.Length > 0 && line[0] == (byte)'.' ? line.AsSpan(1) : line);
        }
    }

    private static (string Address, string Parameters) SplitPath(string arg)
    {
        var lt = arg.IndexOf('<', StringComparison.Ordinal);
        var gt = arg.IndexOf('>', StringComparison.Ordinal);
        if (lt < 0 || gt < lt)
        {
            return ("", "");
        }

        return (arg[(lt + 1)..gt], arg[(gt + 1)..].Trim());
    }

    /// <summary>Reads LF-terminated lines (the LF and any CR kept), so the sink sees line endings exactly.</summary>
    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] buffer = new byte[65536];
        private int start;
        private int end;

        public async Task<byte[]?> ReadLineAsync(CancellationToken ct)
        {
            var pending = new MemoryStream();
            while (true)
            {
                var nl = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                if (nl >= 0)
                {
                    pending.Write(buffer, start, nl + 1 - start);
                    start = nl + 1;
                    return pending.ToArray();
                }

                pending.Write(buffer, start, end - start);
                start = end = 0;
                var n = await stream.ReadAsync(buffer, ct);
                if (n == 0)
                {
                    return null;
                }

                end = n;
            }
        }
    }
}
