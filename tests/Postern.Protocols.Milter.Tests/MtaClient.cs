using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Postern.Protocols.Milter.Tests;

/// <summary>The MTA side of the milter protocol, written from the protocol description (not from the kit), for tests.</summary>
internal sealed class MtaClient : IAsyncDisposable
{
    public const uint AllActions = 0x1FF;
    public const uint AllSteps = 0x1FFFFF;

    private readonly Socket socket;
    private readonly NetworkStream stream;

    private MtaClient(Socket socket)
    {
        this.socket = socket;
        stream = new NetworkStream(socket, ownsSocket: true);
    }

    public uint Actions { get; private set; }

    public uint Steps { get; private set; }

    public static async Task<MtaClient> ConnectAsync(EndPoint endpoint)
    {
        var socket = endpoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        return new MtaClient(socket);
    }

    public void ShutdownSend() => socket.Shutdown(SocketShutdown.Send);

    public Task SendRawAsync(byte[] bytes) => stream.WriteAsync(bytes).AsTask();

    public async Task SendAsync(char command, byte[] data)
    {
        var packet = new byte[5 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(packet, (uint)data.Length + 1);
        packet[4] = (byte)command;
        data.CopyTo(packet, 5);
        await stream.WriteAsync(packet);
    }

    public static byte[] Z(params string[] strings) => [.. strings.SelectMany(s => Encoding.Latin1.GetBytes(s).Append((byte)0))];

    /// <summary>Reads one packet; null at end of stream.</summary>
    public async Task<(char Command, byte[] Data)?> ReadAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        var head = new byte[4];
        if (!await FillAsync(head, cts.Token))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(head);
        var body = new byte[length];
        if (!await FillAsync(body, cts.Token))
        {
            throw new IOException("truncated reply");
        }

        return ((char)body[0], body[1..]);
    }

    private async Task<bool> FillAsync(byte[] buffer, CancellationToken ct)
    {
        var at = 0;
        while (at < buffer.Length)
        {
            int n;
            try
            {
                n = await stream.ReadAsync(buffer.AsMemory(at), ct);
            }
            catch (IOException)
            {
                return false;
            }

            if (n == 0)
            {
                return false;
            }

            at += n;
        }

        return true;
    }

    public async Task<(char Command, byte[] Data)> ExpectAsync()
    {
        var p = await ReadAsync() ?? throw new IOException("connection closed instead of a reply");
        return p;
    }

    public async Task NegotiateAsync(uint actions = AllActions, uint steps = AllSteps, uint version = 6)
    {
        var data = new byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(data, version);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), actions);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(8), steps);
        await SendAsync('O', data);
        var (c, reply) = await ExpectAsync();
        Assert.Equal('O', c);
        Assert.True(reply.Length >= 12);
        Actions = BinaryPrimitives.ReadUInt32BigEndian(reply.AsSpan(4));
        Steps = BinaryPrimitives.ReadUInt32BigEndian(reply.AsSpan(8));
    }

    private bool NoReply(uint bit) => (Steps & bit) != 0;

    private bool Skipped(uint bit) => (Steps & bit) != 0;

    private async Task StepAsync(char command, byte[] data, uint noReplyBit)
    {
        await SendAsync(command, data);
        if (!NoReply(noReplyBit))
        {
            var (c, _) = await ExpectAsync();
            Assert.Equal('c', c);
        }
    }

    /// <summary>Sends one whole transaction the way Postfix does, and returns every packet up to the final decision.</summary>
    public async Task<List<(char Command, byte[] Data)>> SendMessageAsync(string sender, string[] recipients, (string Name, string Value)[] headers,
        byte[] body, int chunk = 65535, bool connect = true)
    {
        if (connect)
        {
            await SendAsync('D', [(byte)'C', .. Z("j", "mx.test", "{daemon_name}", "test")]);
            var address = Encoding.ASCII.GetBytes("192.0.2.1\0");
            await StepAsync('C', [.. Z("client.test"), (byte)'4', 0x9C, 0x40, .. address], 0x1000);
            await StepAsync('H', Z("client.test"), 0x2000);
        }

        await SendAsync('D', [(byte)'M', .. Z("{mail_addr}", sender)]);
        await StepAsync('M', Z($"<{sender}>", "SIZE=100"), 0x4000);
        foreach (var r in recipients)
        {
            await StepAsync('R', Z($"<{r}>"), 0x8000);
        }

        // As Postfix does: a step the milter asked not to get (SMFIP_NODATA, SMFIP_NOEOH) is not sent, nor its macros.
        if (!Skipped(0x200))
        {
            await SendAsync('D', [(byte)'T', .. Z("i", "QID1")]);
            await StepAsync('T', [], 0x10000);
        }

        foreach (var (name, value) in headers)
        {
            await StepAsync('L', Z(name, value), 0x80);
        }

        if (!Skipped(0x40))
        {
            await StepAsync('N', [], 0x40000);
        }

        for (var at = 0; at < body.Length; at += chunk)
        {
            await StepAsync('B', body[at..Math.Min(body.Length, at + chunk)], 0x80000);
        }

        await SendAsync('D', [(byte)'E', .. Z("i", "QID1")]);
        await SendAsync('E', []);
        var packets = new List<(char, byte[])>();
        while (true)
        {
            var p = await ExpectAsync();
            packets.Add(p);
            if (p.Command is 'a' or 'c' or 'r' or 't' or 'd' or 'y')
            {
                return packets;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        return stream.DisposeAsync();
    }
}
