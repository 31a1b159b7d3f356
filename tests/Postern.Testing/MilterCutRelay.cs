using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Postern.Testing;

/// <summary>
/// Sits between an MTA and Postern's milter (loopback TCP or unix sockets) and makes "Postern dies during a body replacement"
/// deterministic: it forwards both directions packet by packet until Postern starts a body replacement (SMFIR_REPLBODY,
/// 'b'), passes on that packet's length word, letter and first <see cref="PassedBytes"/> bytes only, and completes
/// <see cref="Replacing"/>. The test then kills Postern and calls <see cref="CutAsync"/>, which closes the MTA's side:
/// the MTA has half a body replacement and then end of stream, as when the kill lands mid-write. Killing on a log line
/// instead raced the write: a fast enough daemon had sent all 8 MB and its final reply before the kill.
/// </summary>
/// <remarks>Threading: <see cref="Open"/>, <see cref="CutAsync"/> and dispose from one test thread.</remarks>
public sealed class MilterCutRelay(EndPoint listen, EndPoint target) : IAsyncDisposable
{
    /// <summary>On 127.0.0.1:<paramref name="port"/>, to 127.0.0.1:<paramref name="target"/>.</summary>
    public MilterCutRelay(int port, int target)
        : this(new IPEndPoint(IPAddress.Loopback, port), new IPEndPoint(IPAddress.Loopback, target))
    {
    }

    /// <summary>How much of the replacement body gets through.</summary>
    public const int PassedBytes = 4096;

    private readonly TaskCompletionSource replacing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Socket> sockets = [];
    private readonly CancellationTokenSource stop = new();
    private Socket? listener;
    private Task? serving;

    /// <summary>Completes when a body replacement has started and been cut short.</summary>
    public Task Replacing => replacing.Task;

    /// <summary>Starts listening (a unix socket path is replaced and left world-writable, as the MTA may run as
    /// another user).</summary>
    public void Open()
    {
        listener = NewSocket(listen);
        if (listen is UnixDomainSocketEndPoint unix)
        {
            File.Delete(unix.ToString());
            listener.Bind(listen);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(unix.ToString(), (UnixFileMode)Convert.ToInt32("666", 8));
            }
        }
        else
        {
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(listen);
        }

        listener.Listen(16);
        serving = Task.Run(() => ServeAsync(listener, stop.Token));
    }

    private static Socket NewSocket(EndPoint endpoint) => endpoint is UnixDomainSocketEndPoint
        ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        : new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    /// <summary>Closes every connection, both sides.</summary>
    public async Task CutAsync()
    {
        await stop.CancelAsync();
        lock (sockets)
        {
            foreach (var s in sockets)
            {
                s.Dispose();
            }
        }
    }

    private async Task ServeAsync(Socket server, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var mta = await server.AcceptAsync(ct);
                var postern = NewSocket(target);
                lock (sockets)
                {
                    sockets.Add(mta);
                    sockets.Add(postern);
                }

                await postern.ConnectAsync(target, ct);
                _ = CopyAsync(mta, postern, ct);
                _ = PacketsAsync(postern, mta, ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped, or a leg broke: that connection ends.
        }
    }

    private static async Task CopyAsync(Socket from, Socket to, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, ct)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Cut.
        }
    }

    private async Task PacketsAsync(Socket from, Socket to, CancellationToken ct)
    {
        var header = new byte[5];
        try
        {
            while (true)
            {
                if (!await ReadExactlyAsync(from, header, ct))
                {
                    return;
                }

                var data = new byte[BinaryPrimitives.ReadUInt32BigEndian(header) - 1];
                if (!await ReadExactlyAsync(from, data, ct))
                {
                    return;
                }

                await to.SendAsync(header, ct);
                if (header[4] == (byte)'b')
                {
                    await to.SendAsync(data.AsMemory(0, Math.Min(PassedBytes, data.Length)), ct);
                    replacing.TrySetResult();
                    return; // nothing more reaches the MTA until the cut
                }

                await to.SendAsync(data, ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Cut.
        }
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken ct)
    {
        for (var at = 0; at < buffer.Length;)
        {
            var read = await socket.ReceiveAsync(buffer[at..], ct);
            if (read == 0)
            {
                return false;
            }

            at += read;
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await CutAsync();
        listener?.Dispose();
        if (serving is not null)
        {
            await serving;
        }

        stop.Dispose();
    }
}
