using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Postern.Protocols.Milter;

/// <summary>
/// Accepts milter connections on unix and TCP endpoints and runs a <see cref="MilterSession"/> for each, at most
/// <see cref="MaxConnections"/> at a time (past it, new connections wait in the socket backlog). A failing
/// connection never stops the listener. Start once, stop once; <see cref="StopAsync"/> stops accepting, lets
/// messages being decided finish until its token fires, then closes every connection. Thread-safe.
/// </summary>
public sealed class MilterListener : IAsyncDisposable
{
    private readonly IReadOnlyList<MilterEndpoint> endpoints;
    private readonly IMilterHandler handler;
    private readonly MilterOptions options;
    private readonly ILogger logger;
    private readonly List<Socket> sockets = [];
    private readonly List<Task> acceptLoops = [];
    private readonly HashSet<Task> sessions = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource abort = new();
    private readonly SemaphoreSlim slots;

    /// <summary>Creates a listener; nothing is bound until <see cref="StartAsync"/>.</summary>
    public MilterListener(IReadOnlyList<MilterEndpoint> endpoints, IMilterHandler handler, MilterOptions options, ILogger logger,
        int maxConnections = 200, UnixFileMode socketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite)
    {
        this.endpoints = endpoints;
        this.handler = handler;
        this.options = options;
        this.logger = logger;
        MaxConnections = maxConnections;
        SocketMode = socketMode;
        slots = new SemaphoreSlim(maxConnections, maxConnections);
    }

    /// <summary>The most connections served at once.</summary>
    public int MaxConnections { get; }

    /// <summary>The mode of unix sockets created.</summary>
    public UnixFileMode SocketMode { get; }

    /// <summary>The bound TCP endpoints (with the real port when 0 was asked) and unix paths, in order.</summary>
    public IReadOnlyList<EndPoint> BoundEndpoints => [.. sockets.Select(s => s.LocalEndPoint!)];

    /// <summary>Binds every endpoint (replacing a stale unix socket, refusing one a live process listens on) and starts accepting.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var endpoint in endpoints)
        {
            var socket = Bind(endpoint);
            sockets.Add(socket);
            MilterLog.Listening(logger, endpoint.IsUnix ? endpoint.Text : $"inet:{socket.LocalEndPoint}");
            acceptLoops.Add(AcceptLoopAsync(socket, endpoint.Text));
        }

        return Task.CompletedTask;
    }

    private Socket Bind(MilterEndpoint endpoint)
    {
        if (endpoint.Path is { } path)
        {
            var folder = System.IO.Path.GetDirectoryName(path)!;
            if (!Directory.Exists(folder))
            {
                // [global] run_dir's promise: created 0750 when missing.
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(folder);
                }
                else
                {
                    Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
                }
            }
            if (File.Exists(path))
            {
                using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    probe.Connect(endpoint.EndPoint);
                    throw new IOException($"{path}: another process is listening on this socket");
                }
                catch (SocketException)
                {
                    File.Delete(path);
                }
            }

            var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            unix.Bind(endpoint.EndPoint);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, SocketMode);
            }

            unix.Listen(128);
            return unix;
        }

        var ip = (IPEndPoint)endpoint.EndPoint;
        var tcp = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        tcp.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        tcp.Bind(ip);
        tcp.Listen(128);
        return tcp;
    }

    private async Task AcceptLoopAsync(Socket listener, string name)
    {
        await Task.Yield();
        while (!stopping.IsCancellationRequested)
        {
            if (slots.CurrentCount == 0)
            {
                MilterLog.ConnectionLimit(logger, MaxConnections);
            }

            try
            {
                await slots.WaitAsync(stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                slots.Release();
                return;
            }
            catch (SocketException e)
            {
                slots.Release();
                MilterLog.AcceptFailed(logger, name, e.Message);
                await Task.Delay(100, CancellationToken.None);
                continue;
            }

            var task = ServeAsync(client);
            lock (sessions)
            {
                sessions.Add(task);
            }

            _ = task.ContinueWith(t =>
            {
                lock (sessions)
                {
                    sessions.Remove(t);
                }
            }, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        await Task.Yield();
        try
        {
            if (client.ProtocolType == ProtocolType.Tcp)
            {
                client.NoDelay = true;
            }

            var peer = client.RemoteEndPoint?.ToString() is { Length: > 0 } p ? p : "unix";
            await using var stream = new NetworkStream(client, ownsSocket: true);
            var quickAck = TcpQuickAck.For(client);
            var answerData = client.ProtocolType == ProtocolType.Tcp && quickAck is null;
            await new MilterSession(stream, handler, options, logger, peer, quickAck, answerData).RunAsync(stopping.Token, abort.Token);
        }
        catch (Exception e)
        {
            // Boundary: one connection's failure must never reach the accept loop.
            MilterLog.ProtocolError(logger, "?", e.Message);
        }
        finally
        {
            client.Dispose();
            slots.Release();
        }
    }

    /// <summary>Stops accepting, waits for the sessions until <paramref name="cancellationToken"/> fires, then aborts them.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        foreach (var s in sockets)
        {
            s.Dispose();
        }

        await Task.WhenAll(acceptLoops);
        Task[] open;
        lock (sessions)
        {
            open = [.. sessions];
        }

        try
        {
            await Task.WhenAll(open).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await abort.CancelAsync();
            await Task.WhenAll(open);
        }

        foreach (var e in endpoints.Where(e => e.IsUnix))
        {
            File.Delete(e.Path!);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (!stopping.IsCancellationRequested)
        {
            await StopAsync(new CancellationToken(true));
        }

        stopping.Dispose();
        abort.Dispose();
        slots.Dispose();
    }
}
