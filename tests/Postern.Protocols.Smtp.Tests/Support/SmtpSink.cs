using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postern.Protocols.Smtp.Tests.Support;

/// <summary>
/// A real SMTP server on 127.0.0.1 that speaks just enough RFC 5321 to take messages, and records every
/// transaction (envelope and the data with dot-stuffing undone). Shared with the core tests' release test.
/// </summary>
internal sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task serving;

    public SmtpSink(int dataReplyCode = 250, Func<string, int>? recipientReply = null)
    {
        DataReplyCode = dataReplyCode;
        RecipientReply = recipientReply ?? (_ => 250);
        listener.Start();
        serving = Task.Run(ServeAsync);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public int DataReplyCode { get; }

    public Func<string, int> RecipientReply { get; }

    public ConcurrentQueue<SinkTransaction> Transactions { get; } = new();

    public ConcurrentQueue<string> Commands { get; } = new();

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
    }

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            using (client)
            {
                try
                {
                    await ConverseAsync(client.GetStream());
                }
                catch (IOException)
                {
                    // The client hung up; the next connection is served all the same.
                }
            }
        }
    }

    private async Task ConverseAsync(NetworkStream stream)
    {
        var lines = new LineReader(stream);
        await WriteAsync(stream, "220 sink ESMTP");
        string sender = "";
        var recipients = new List<string>();
        while (await lines.ReadLineAsync(stop.Token) is { } line)
        {
            Commands.Enqueue(line);
            var verb = line.Split(' ')[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await WriteAsync(stream, "250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8");
                    break;
                case "MAIL":
                    sender = Path(line);
                    recipients.Clear();
                    await WriteAsync(stream, "250 ok");
                    break;
                case "RCPT":
                    var code = RecipientReply(Path(line));
                    if (code == 250)
                    {
                        recipients.Add(Path(line));
                    }

                    await WriteAsync(stream, $"{code} rcpt");
                    break;
                case "DATA":
                    await WriteAsync(stream, "354 go ahead");
                    var data = await lines.ReadDataAsync(stop.Token);
                    if (DataReplyCode == 250)
                    {
                        Transactions.Enqueue(new SinkTransaction(sender, [.. recipients], data));
                    }

                    await WriteAsync(stream, $"{DataReplyCode} data");
                    break;
                case "QUIT":
                    await WriteAsync(stream, "221 bye");
                    return;
                default:
                    await WriteAsync(stream, "502 not implemented");
                    break;
            }
        }
    }

    private static string Path(string line)
    {
        var open = line.IndexOf('<', StringComparison.Ordinal);
        var close = line.IndexOf('>', StringComparison.Ordinal);
        return open >= 0 && close > open ? line[(open + 1)..close] : "";
    }

    private Task WriteAsync(NetworkStream stream, string reply) =>
        stream.WriteAsync(Encoding.UTF8.GetBytes(reply + "\r\n"), stop.Token).AsTask();

    private sealed class LineReader(Stream stream)
    {
        private readonly MemoryStream pending = new();

        public async Task<string?> ReadLineAsync(CancellationToken ct)
        {
            var bytes = await ReadRawLineAsync(ct);
            return bytes is null ? null : Encoding.UTF8.GetString(bytes).TrimEnd('\r', '\n');
        }

        /// <summary>The data up to CRLF.CRLF, dot-stuffing undone, line ends as sent.</summary>
        public async Task<byte[]> ReadDataAsync(CancellationToken ct)
        {
            var data = new MemoryStream();
            while (await ReadRawLineAsync(ct) is { } raw)
            {
                if (raw is [(byte)'.', (byte)'\r', (byte)'\n'])
                {
                    break;
                }

                var skip = raw.Length > 0 && raw[0] == (byte)'.' ? 1 : 0;
                data.Write(raw, skip, raw.Length - skip);
            }

            return data.ToArray();
        }

        private async Task<byte[]?> ReadRawLineAsync(CancellationToken ct)
        {
            var one = new byte[1];
            pending.SetLength(0);
            while (true)
            {
                if (await stream.ReadAsync(one, ct) == 0)
                {
                    return null;
                }

                pending.WriteByte(one[0]);
                if (one[0] == (byte)'\n')
                {
                    return pending.ToArray();
                }
            }
        }
    }
}
