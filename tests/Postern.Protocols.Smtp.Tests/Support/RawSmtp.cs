using System.Net.Sockets;
using System.Text;

namespace Postern.Protocols.Smtp.Tests.Support;

/// <summary>A byte-exact SMTP client for server tests: writes what it is told, reads replies line by line.</summary>
internal sealed class RawSmtp : IAsyncDisposable
{
    private readonly TcpClient tcp = new();
    private readonly List<byte> buffer = [];
    private NetworkStream? stream;

    public static async Task<RawSmtp> ConnectAsync(int port)
    {
        var c = new RawSmtp();
        await c.tcp.ConnectAsync("127.0.0.1", port);
        c.stream = c.tcp.GetStream();
        return c;
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await stream!.WriteAsync(bytes);

    /// <summary>Reads one whole reply (continuation lines joined); null when the server closed.</summary>
    public async Task<string?> ReplyAsync(int timeoutSeconds = 10)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await LineAsync(timeoutSeconds);
            if (line is null)
            {
                return lines.Count == 0 ? null : string.Join('\n', lines);
            }

            lines.Add(line);
            if (line.Length < 4 || line[3] == ' ')
            {
                return string.Join('\n', lines);
            }
        }
    }

    /// <summary>Sends a command and reads its reply.</summary>
    public async Task<string?> CommandAsync(string command)
    {
        await SendAsync(command + "\r\n");
        return await ReplyAsync();
    }

    /// <summary>True when the server closed the connection within the time.</summary>
    public async Task<bool> ClosedAsync(int timeoutSeconds)
    {
        while (true)
        {
            var line = await LineAsync(timeoutSeconds);
            if (line is null)
            {
                return true;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (stream is not null)
        {
            await stream.DisposeAsync();
        }

        tcp.Dispose();
    }

    private async Task<string?> LineAsync(int timeoutSeconds)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        var chunk = new byte[4096];
        while (true)
        {
            var nl = buffer.IndexOf((byte)'\n');
            if (nl >= 0)
            {
                var line = Encoding.UTF8.GetString([.. buffer.Take(nl)]).TrimEnd('\r');
                buffer.RemoveRange(0, nl + 1);
                return line;
            }

            int n;
            try
            {
                n = await stream!.ReadAsync(chunk, cts.Token);
            }
            catch (IOException)
            {
                return null;
            }

            if (n == 0)
            {
                return null;
            }

            buffer.AddRange(chunk.AsSpan(0, n));
        }
    }
}
