using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Postern.Protocols.Smtp;

/// <summary>
/// An ESMTP server for MTA-facing agents (Postfix's after-queue content filter): PIPELINING, SIZE, 8BITMIME,
/// SMTPUTF8, DSN and XFORWARD, strict DATA framing and hard limits (<see cref="SmtpServerOptions"/>). Each received
/// message goes to an <see cref="ISmtpTransactionHandler"/>, whose reply ends the transaction.
/// </summary>
/// <remarks>
/// <para>Threading: <see cref="StartAsync"/> once, then <see cref="StopAsync"/> once; connections are served
/// concurrently on the thread pool, at most <see cref="SmtpServerOptions.MaxConnections"/> at a time.</para>
/// <para>Errors: bad input gets an SMTP error reply or the connection closed, never an exception out of the server.
/// <see cref="StartAsync"/> throws <see cref="SocketException"/> when it cannot listen.</para>
/// </remarks>
public sealed partial class SmtpServer(SmtpServerOptions options, ISmtpTransactionHandler handler, ILogger logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource aborting = new();
    private readonly Lock sessionsLock = new();
    private readonly HashSet<Task> sessions = [];
    private TcpListener? listener;
    private Task? accepting;
    private int active;

    /// <summary>The endpoint listened on (the real port when 0 was asked for); null before start.</summary>
    public IPEndPoint? LocalEndpoint => listener?.LocalEndpoint as IPEndPoint;

    /// <summary>Binds and starts accepting.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        listener = new TcpListener(options.Endpoint);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start(Math.Max(options.MaxConnections, 16));
        accepting = Task.Run(AcceptLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops accepting; idle connections get 421 and close; connections in a transaction finish it. When
    /// <paramref name="cancellationToken"/> fires first, in-flight handlers are cancelled and their clients get 421
    /// (they keep the message and retry).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        listener?.Stop();
        if (accepting is not null)
        {
            await accepting;
        }

        Task[] left;
        lock (sessionsLock)
        {
            left = [.. sessions];
        }

        using (cancellationToken.Register(aborting.Cancel))
        {
            await Task.WhenAll(left);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (!stopping.IsCancellationRequested)
        {
            using var now = new CancellationTokenSource();
            await now.CancelAsync();
            await StopAsync(now.Token);
        }

        stopping.Dispose();
        aborting.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener!.AcceptSocketAsync(stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of descriptors or buffers: let the system breathe instead of spinning on the same error.
                LogAcceptFailed(logger, e.SocketErrorCode);
                try
                {
                    await Task.Delay(100, stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            var task = ServeAsync(socket);
            lock (sessionsLock)
            {
                if (!task.IsCompleted)
                {
                    sessions.Add(task);
                }
            }

            _ = task.ContinueWith(t => { lock (sessionsLock) { sessions.Remove(t); } }, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await Task.Yield();
        using (socket)
        await using (var stream = new NetworkStream(socket, ownsSocket: false))
        {
            socket.NoDelay = true;
            var peer = socket.RemoteEndPoint as IPEndPoint;
            if (Interlocked.Increment(ref active) > options.MaxConnections)
            {
                Interlocked.Decrement(ref active);
                LogTooManyConnections(logger, peer, options.MaxConnections);
                await TryWriteAsync(stream, "421 4.3.2 too many connections, try again later\r\n"u8.ToArray());
                return;
            }

            try
            {
                await new SmtpSession(stream, peer, options, handler, logger, stopping.Token, aborting.Token).RunAsync();
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or TimeoutException)
            {
                // Connection boundary: the peer went away, timed out, or the server aborted; the transaction was not
                // answered 250, so the client still holds the message.
                LogConnectionEnded(logger, peer, e.Message);
            }
            finally
            {
                Interlocked.Decrement(ref active);
            }
        }
    }

    private static async Task TryWriteAsync(Stream stream, byte[] bytes)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await stream.WriteAsync(bytes, cts.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // The refused client is gone already.
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "SMTP accept failed: {Error}")]
    private static partial void LogAcceptFailed(ILogger logger, SocketError error);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "SMTP connection from {Peer} refused: {Max} connections already served")]
    private static partial void LogTooManyConnections(ILogger logger, IPEndPoint? peer, int max);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Debug, Message = "SMTP connection from {Peer} ended: {Reason}")]
    private static partial void LogConnectionEnded(ILogger logger, IPEndPoint? peer, string reason);
}
