using System.Net;
using System.Net.Sockets;

namespace Postern.Testing;

/// <summary>
/// A port a test can close and reopen: forwards every connection on 127.0.0.1:<see cref="Port"/> to 127.0.0.1:target
/// while open; while closed nothing listens there (connections are refused), and open connections are cut.
/// </summary>
/// <remarks>Threading: <see cref="Open"/>, <see cref="CloseAsync"/> and dispose from one test thread.
/// Errors: a broken leg ends that connection only.</remarks>
public sealed class TcpRelay(int port, int target) : IAsyncDisposable
{
    private TcpListener? listener;
    private CancellationTokenSource? stop;
    private Task? serving;

    /// <summary>The relay's own port.</summary>
    public int Port => port;

    /// <summary>Starts listening.</summary>
    public void Open()
    {
        if (listener is not null)
        {
            return;
        }

        listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start(64);
        stop = new CancellationTokenSource();
        serving = Task.Run(() => ServeAsync(listener, stop.Token));
    }

    /// <summary>Stops listening and cuts every forwarded connection.</summary>
    public async Task CloseAsync()
    {
        if (listener is null)
        {
            return;
        }

        await stop!.CancelAsync();
        listener.Stop();
        try
        {
            await serving!;
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
        listener = null;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await CloseAsync();

    private async Task ServeAsync(TcpListener l, CancellationToken ct)
    {
        var legs = new List<Task>();
        while (!ct.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await l.AcceptTcpClientAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }

            legs.Add(Task.Run(async () =>
            {
                using (inbound)
                using (var outbound = new TcpClient())
                {
                    try
                    {
                        await outbound.ConnectAsync(IPAddress.Loopback, target, ct);
                        var a = inbound.GetStream().CopyToAsync(outbound.GetStream(), ct);
                        var b = outbound.GetStream().CopyToAsync(inbound.GetStream(), ct);
                        await Task.WhenAny(a, b);
                    }
                    catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
                    {
                        // One leg broke: this connection ends, the relay goes on.
                    }
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(legs);
    }
}
