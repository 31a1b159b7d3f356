using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postern.MilterE2e;

/// <summary>A minimal SMTP server on loopback (port 0) that accepts everything and records each message.</summary>
internal sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public SmtpSink()
    {
        listener.Start();
        loop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public BlockingCollection<(string Sender, List<string> Recipients, byte[] Data)> Messages { get; } = [];

    public (string Sender, List<string> Recipients, byte[] Data) Take(int seconds = 60) =>
        Messages.TryTake(out var m, TimeSpan.FromSeconds(seconds)) ? m : throw new TimeoutException($"no message reached the sink in {seconds} s");

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.Latin1);
        var writer = new StreamWriter(stream, Encoding.Latin1) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 sink ESMTP");
        string sender = "";
        var recipients = new List<string>();
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-sink\r\n250-8BITMIME\r\n250 PIPELINING");
                        break;
                    case "MAIL":
                        sender = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Split(' ')[0].Trim('<', '>');
                        recipients = [];
                        await writer.WriteLineAsync("250 ok");
                        break;
                    case "RCPT":
                        recipients.Add(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Split(' ')[0].Trim('<', '>'));
                        await writer.WriteLineAsync("250 ok");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 go");
                        var data = new MemoryStream();
                        while (await reader.ReadLineAsync() is { } d && d != ".")
                        {
                            var unstuffed = d.StartsWith('.') ? d[1..] : d;
                            data.Write(Encoding.Latin1.GetBytes(unstuffed + "\r\n"));
                        }

                        Messages.Add((sender, recipients, data.ToArray()));
                        await writer.WriteLineAsync("250 queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        return;
                    default:
                        await writer.WriteLineAsync("250 ok");
                        break;
                }
            }
        }
        catch (IOException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await loop;
        stop.Dispose();
    }
}

/// <summary>Sends one message over SMTP and reports the reply to the end of DATA (or the first refusal).</summary>
internal static class SmtpSend
{
    public static async Task<(int Code, string Text)> SendAsync(int port, string sender, IReadOnlyList<string> recipients, string message, int timeoutSeconds = 120)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, cts.Token);
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.Latin1);
        var writer = new StreamWriter(stream, Encoding.Latin1) { NewLine = "\r\n", AutoFlush = true };

        async Task<(int, string)> ReplyAsync()
        {
            var text = new StringBuilder();
            while (true)
            {
                var line = await reader.ReadLineAsync(cts.Token) ?? throw new IOException("connection closed: " + text);
                text.Append(line).Append('\n');
                if (line.Length < 4 || line[3] != '-')
                {
                    return (int.Parse(line[..3], System.Globalization.CultureInfo.InvariantCulture), text.ToString().TrimEnd());
                }
            }
        }

        async Task<(int, string)> CommandAsync(string command)
        {
            await writer.WriteLineAsync(command);
            return await ReplyAsync();
        }

        await ReplyAsync();
        await CommandAsync("EHLO client.test");
        var r = await CommandAsync($"MAIL FROM:<{sender}>");
        if (r.Item1 >= 400)
        {
            return r;
        }

        foreach (var rcpt in recipients)
        {
            r = await CommandAsync($"RCPT TO:<{rcpt}>");
            if (r.Item1 >= 400)
            {
                return r;
            }
        }

        r = await CommandAsync("DATA");
        if (r.Item1 != 354)
        {
            return r;
        }

        var body = new StringBuilder();
        foreach (var line in message.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            body.Append(line.StartsWith('.') ? "." + line : line).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.Latin1.GetBytes(body.ToString().TrimEnd('\r', '\n') + "\r\n.\r\n"), cts.Token);
        var final = await ReplyAsync();
        try
        {
            await CommandAsync("QUIT");
        }
        catch (IOException)
        {
        }

        return final;
    }

    /// <summary>A free loopback TCP port (bound and released: the caller binds it soon after).</summary>
    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public const string Eicar = @"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    public static string Clean(string subject) =>
        $"From: a@example.org\r\nTo: r@example.net\r\nSubject: {subject}\r\nMessage-Id: <{Guid.NewGuid():N}@client.test>\r\nX-Virus-Status: forged by the sender\r\n\r\nhello, this is clean\r\nsecond line\r\n";

    /// <summary>A multipart message: a text part and EICAR as a base64 attachment (plus <paramref name="padding"/> bytes of text).</summary>
    public static string Infected(string subject, int padding = 0)
    {
        var eicar = Convert.ToBase64String(Encoding.ASCII.GetBytes(Eicar));
        var pad = padding == 0 ? "" : string.Concat(Enumerable.Repeat("padding line of plain text to make the message large....\r\n", padding / 58 + 1));
        return $"From: a@example.org\r\nTo: r@example.net\r\nSubject: {subject}\r\nMessage-Id: <{Guid.NewGuid():N}@client.test>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n" + pad
            + "--b1\r\nContent-Type: application/octet-stream; name=\"eicar.com\"\r\nContent-Disposition: attachment; filename=\"eicar.com\"\r\n"
            + $"Content-Transfer-Encoding: base64\r\n\r\n{eicar}\r\n--b1--\r\n";
    }
}
