using System.Net;
using System.Net.Sockets;

namespace Postern.Testing;

/// <summary>
/// A port a test can close and reopen: forwards every connection on 127.0.0.1:<see cref="Port"/> to 127.0.0.1:target
/// while open; while closed nothing listens there (connections are refused), and open connections are cut. While
/// held (<see cref="HoldAsync"/>), it accepts connections but connects none onward until <see cref="Release"/>, so a client
/// sits waiting for the greeting.
/// </summary>
/// <remarks>Threading: <see cref="Open"/>, <see cref="CloseAsync"/> and dispose from one test thread.
/// Errors: a broken leg ends that connection only.</remarks>
public sealed class TcpRelay(int port, int target) : IAsyncDisposable
{
    private TcpListener? listener;
    private CancellationTokenSource? stop;
    private Task? serving;
    private TaskCompletionSource held = Released();

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

    /// <summary>Cuts the connections forwarded so far (a client's pooled connection would slip past), then accepts
    /// new ones that wait (the client hears nothing) until <see cref="Release"/>.</summary>
    public async Task HoldAsync()
    {
        await CloseAsync();
        if (held.Task.IsCompleted)
        {
            held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        Open();
    }

    /// <summary>Lets waiting and new connections through.</summary>
    public void Release() => held.TrySetResult();

    private static TaskCompletionSource Released()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
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

            var gate = held.Task;
            legs.Add(Task.Run(async () =>
            {
                using (inbound)
                using (var outbound = new TcpClient())
                {
                    try
                    {
                        await gate.WaitAsync(ct);
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
