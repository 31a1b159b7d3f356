using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Postern.Core.Policy;
using Postern.Protocols.Local;
using Postern.Sdk.Messages;

namespace Postern.Host.Serve;

/// <summary>
/// The daemon's built-in local submission agent: per-message programs (<c>postern mda</c>, <c>postern qmail-queue</c>,
/// <c>postern zmailer-contentfilter</c>) hand their message to it over the unix socket <c>[global] run_dir</c>/postern.sock
/// (mode 0660: the socket's group decides who may submit) and get the decision back (Postern.Protocols.Local).
/// </summary>
/// <remarks>
/// At most <see cref="MaxConnections"/> connections are served at once; more wait in the listen backlog. A garbage
/// frame, a client too slow or a message over the size limit ends that connection only. On stop the socket is closed
/// and removed at once; connections in flight finish until the drain time ends, then get an error frame (a temporary
/// failure for their caller).
/// </remarks>
internal sealed partial class LocalAgent(IMessageDispatcher dispatcher, string socketPath, ILogger<LocalAgent> logger) : IAgent, IDisposable
{
    public const int MaxConnections = 64;

    private readonly ConcurrentDictionary<int, Task> sessions = new();
    private readonly CancellationTokenSource stopAccepting = new();
    private readonly CancellationTokenSource drainOver = new();
    private readonly SemaphoreSlim slots = new(MaxConnections);
    private readonly LocalServerSession session = new() { AgentAllowed = AgentNames.IsAgent };
    private Socket? listener;
    private Task accepting = Task.CompletedTask;
    private int nextId;

    public string Name => "local";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the local submission socket needs a Unix system");
        }

        var directory = Path.GetDirectoryName(socketPath)!;
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }

        RemoveStaleSocket();
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(socketPath));
            File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
            socket.Listen(128);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        listener = socket;
        accepting = AcceptLoopAsync(socket);
        LogListening(logger, socketPath);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopAccepting.CancelAsync();
        listener?.Dispose();
        TryDelete();
        await accepting;
        try
        {
            await Task.WhenAll(sessions.Values).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The drain time is over: what is still in flight gets an error frame (its caller tempfails).
            await drainOver.CancelAsync();
            await Task.WhenAll(sessions.Values).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        }

    }

    public void Dispose()
    {
        listener?.Dispose();
        stopAccepting.Dispose();
        drainOver.Dispose();
        slots.Dispose();
    }

    private async Task AcceptLoopAsync(Socket socket)
    {
        while (!stopAccepting.IsCancellationRequested)
        {
            Socket client;
            try
            {
                await slots.WaitAsync(stopAccepting.Token);
                client = await socket.AcceptAsync(stopAccepting.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (stopAccepting.IsCancellationRequested)
                {
                    return;
                }

                LogAcceptFailed(logger, e.Message);
                slots.Release();
                await Task.Delay(100);
                continue;
            }

            var id = Interlocked.Increment(ref nextId);
            sessions[id] = ServeAsync(id, client);
        }
    }

    private async Task ServeAsync(int id, Socket client)
    {
        try
        {
            await Task.Yield();
            await using var stream = new NetworkStream(client, ownsSocket: true);
            var outcome = await session.ServeAsync(stream, dispatcher, drainOver.Token);
            LogSession(logger, id, outcome);
        }
        catch (Exception e)
        {
            // Boundary: one connection's failure must never take the agent down.
            LogSessionFailed(logger, id, e);
        }
        finally
        {
            sessions.TryRemove(id, out _);
            slots.Release();
        }
    }

    private void RemoveStaleSocket()
    {
        if (!File.Exists(socketPath))
        {
            return;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(socketPath));
        }
        catch (SocketException)
        {
            // Nobody listens: a socket left by a daemon that died.
            File.Delete(socketPath);
            return;
        }

        throw new InvalidOperationException($"another postern serve is listening on {socketPath}");
    }

    private void TryDelete()
    {
        try
        {
            File.Delete(socketPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogAcceptFailed(logger, $"cannot remove {socketPath}: {e.Message}");
        }
    }

    [LoggerMessage(EventId = 6010, Level = LogLevel.Information, Message = "Local submission socket {Socket} listening")]
    private static partial void LogListening(ILogger logger, string socket);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Debug, Message = "Local connection {Id}: {Outcome}")]
    private static partial void LogSession(ILogger logger, int id, string outcome);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Error, Message = "Local connection {Id} failed")]
    private static partial void LogSessionFailed(ILogger logger, int id, Exception e);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Warning, Message = "Local socket: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, string reason);
}
