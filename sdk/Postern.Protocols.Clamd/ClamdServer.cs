using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Postern.Protocols.Clamd;

/// <summary>
/// A clamd protocol server: ClamAV's commands (PING, VERSION, VERSIONCOMMANDS, INSTREAM, SCAN, CONTSCAN, MULTISCAN,
/// ALLMATCHSCAN, FILDES, IDSESSION/END, STATS, RELOAD) in the <c>z</c>, <c>n</c> and legacy forms, with clamd's reply
/// grammar, on a unix socket and/or TCP. Scans go to an <see cref="IClamdBackend"/>.
/// </summary>
/// <remarks>
/// <para>Threading: <see cref="StartAsync"/> and <see cref="StopAsync"/> are called once each, from one thread;
/// connections are served concurrently, at most <see cref="ClamdServerOptions.MaxConnections"/> at a time.</para>
/// <para>Errors: <see cref="StartAsync"/> throws when a listener cannot be opened (address in use, a live server on
/// the socket path). Bad input never ends the server: each connection gets clamd's error reply and is closed. A
/// failed scan is answered with an <c>ERROR</c> line, never <c>OK</c>. <see cref="StopAsync"/> stops accepting and
/// closes idle connections at once, lets scans in flight answer, and cuts the rest when its token fires (the client
/// sees the connection close, which Exim and clamdscan treat as a failure, not as clean).</para>
/// </remarks>
public sealed class ClamdServer : IAsyncDisposable
{
    private readonly ClamdServerOptions options;
    private readonly IClamdBackend backend;
    private readonly ILogger logger;
    private readonly PathGuard guard;
    private readonly ClamdStatistics stats = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource abort = new();
    private readonly List<Socket> listeners = [];
    private readonly List<Task> acceptLoops = [];
    private readonly HashSet<Task> sessions = [];
    private readonly SemaphoreSlim slots;

    /// <summary>Creates a server; nothing is opened before <see cref="StartAsync"/>.</summary>
    /// <param name="options">Listeners and limits.</param>
    /// <param name="backend">What scans.</param>
    /// <param name="logger">Where connection problems are logged; optional.</param>
    public ClamdServer(ClamdServerOptions options, IClamdBackend backend, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConnections, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.StreamMaxLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.StreamMaxLength, Array.MaxLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxFileLength, Array.MaxLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxCommandLength, 16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxCommandLength, 60 * 1024);
        this.options = options;
        this.backend = backend;
        this.logger = logger ?? NullLogger.Instance;
        guard = new PathGuard(options.ScanRoots);
        slots = new SemaphoreSlim(options.MaxConnections);
    }

    /// <summary>The TCP end point actually bound (the port chosen when 0 was asked), or <c>null</c>.</summary>
    public IPEndPoint? BoundTcpEndPoint { get; private set; }

    /// <summary>Opens the listeners and starts accepting.</summary>
    /// <param name="cancellationToken">Unused beyond a check: opening is quick.</param>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (options.UnixSocketPath is null && options.TcpEndPoint is null)
        {
            throw new ArgumentException("a clamd server needs a unix socket or a TCP end point");
        }

        try
        {
            if (options.UnixSocketPath is { } path)
            {
                listeners.Add(OpenUnix(path));
            }

            if (options.TcpEndPoint is { } endPoint)
            {
                var tcp = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                tcp.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                tcp.Bind(endPoint);
                tcp.Listen(128);
                BoundTcpEndPoint = (IPEndPoint)tcp.LocalEndPoint!;
                listeners.Add(tcp);
            }
        }
        catch
        {
            foreach (var l in listeners)
            {
                l.Dispose();
            }

            listeners.Clear();
            throw;
        }

        foreach (var listener in listeners)
        {
            var name = Describe(listener);
            ClamdLog.Listening(logger, name);
            acceptLoops.Add(Task.Run(() => AcceptLoopAsync(listener, name), CancellationToken.None));
        }

        return Task.CompletedTask;
    }

    private Socket OpenUnix(string path)
    {
        if (File.Exists(path) || Directory.Exists(Path.GetDirectoryName(path)) && new FileInfo(path).Exists)
        {
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
                throw new IOException($"{path}: another server is listening there");
            }
            catch (SocketException)
            {
                File.Delete(path); // stale: left by a server that did not stop cleanly
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, options.UnixSocketMode);
            }

            socket.Listen(128);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string Describe(Socket s) =>
        s.LocalEndPoint is UnixDomainSocketEndPoint u ? "unix:" + u : "tcp:" + s.LocalEndPoint;

    private async Task AcceptLoopAsync(Socket listener, string name)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                // Accept, then wait for a slot before serving (and before accepting again): a listener never holds a
                // slot while it waits for a client, so one listener cannot starve another; each holds at most one
                // accepted connection waiting, the rest stay in the backlog.
                client = await listener.AcceptAsync(stopping.Token);
                try
                {
                    await slots.WaitAsync(stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    client.Dispose();
                    throw;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (stopping.IsCancellationRequested)
                {
                    return;
                }

                ClamdLog.AcceptFailed(logger, name, e);
                await Task.Delay(100);
                continue;
            }

            var task = ServeAsync(client);
            lock (sessions)
            {
                if (!task.IsCompleted)
                {
                    sessions.Add(task);
                }
            }

            _ = task.ContinueWith(
                t =>
                {
                    lock (sessions)
                    {
                        sessions.Remove(t);
                    }
                },
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        await Task.Yield();
        stats.ConnectionOpened();
        try
        {
            using var connection = new ClamdConnection(client);
            var session = new ClamdSession(connection, options, backend, guard, stats, logger, stopping.Token, abort.Token);
            await session.RunAsync();
        }
        catch (Exception e)
        {
            // Boundary of one connection: nothing a client does may take the server down.
            ClamdLog.ConnectionBroke(logger, e);
        }
        finally
        {
            stats.ConnectionClosed();
            slots.Release();
        }
    }

    /// <summary>Stops accepting, closes idle connections, waits for scans in flight until the token fires, then cuts
    /// whatever is left.</summary>
    /// <param name="cancellationToken">The end of the drain time.</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        foreach (var l in listeners)
        {
            l.Dispose();
        }

        if (options.UnixSocketPath is { } path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
        }

        await Task.WhenAll(acceptLoops);
        Task[] running;
        lock (sessions)
        {
            running = [.. sessions];
        }

        try
        {
            await Task.WhenAll(running).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await abort.CancelAsync();
            await Task.WhenAll(running);
        }
    }

    /// <summary>Stops at once (no drain) and frees the listeners.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!stopping.IsCancellationRequested)
        {
            using var now = new CancellationTokenSource();
            await now.CancelAsync();
            await StopAsync(now.Token);
        }

        stopping.Dispose();
        abort.Dispose();
        slots.Dispose();
    }
}
