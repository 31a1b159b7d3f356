using System.Net.Sockets;
using System.Text;
using Postern.Sdk.Messages;

namespace Postern.Protocols.Local;

/// <summary>
/// Hands one message to a running <c>postern serve</c> over its local socket and returns the decision; the decided
/// message is written to a stream of the caller's when the daemon changed it (marked or cleaned).
/// </summary>
/// <remarks>
/// <para>Threading: one call per message; instances are immutable and may be shared. <see cref="Submit"/> does the
/// same exchange with blocking calls on the calling thread (no thread pool, no socket engine thread, no timer): for
/// a per-message program whose whole life is this one exchange.</para>
/// <para>Errors: <see cref="LocalUnavailableException"/> when no daemon answers the socket (missing, refused, no
/// permission): nothing was sent, so the caller may scan in-process instead. Anything after the connection was made
/// (<see cref="LocalServerException"/> for the daemon's error frame, <see cref="LocalProtocolException"/>,
/// <see cref="IOException"/>, <see cref="TimeoutException"/>) means the outcome is unknown: the caller must answer its
/// MTA with a temporary failure.</para>
/// </remarks>
/// <param name="socketPath">The daemon's socket, <c>[global] run_dir</c>/<see cref="SocketName"/>.</param>
public sealed class LocalClient(string socketPath)
{
    /// <summary>The socket's file name under the run directory.</summary>
    public const string SocketName = "postern.sock";

    /// <summary>The socket path this client connects to.</summary>
    public string SocketPath => socketPath;

    /// <summary>The time the daemon has for the whole exchange past the transfer itself (its scan time).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Submits one message with blocking calls on the calling thread; the same protocol, errors and time
    /// limits as <see cref="SubmitAsync"/>.</summary>
    /// <param name="envelope">The envelope; <see cref="Envelope.Agent"/> selects the policy section.</param>
    /// <param name="message">The message bytes, read from the current position.</param>
    /// <param name="length">How many bytes of <paramref name="message"/> to send.</param>
    /// <param name="changedMessage">Receives the decided message when the daemon changed it.</param>
    /// <param name="cancellationToken">Gives up: the connection is shut down, which ends a blocked call, and
    /// <see cref="OperationCanceledException"/> is thrown.</param>
    /// <returns>The decision, as <see cref="SubmitAsync"/>.</returns>
    public LocalDecision Submit(Envelope envelope, Stream message, long length, Stream changedMessage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(changedMessage);
        cancellationToken.ThrowIfCancellationRequested();
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var deadline = Environment.TickCount64 + (long)TimeFor(length).TotalMilliseconds;
        using var stream = new DeadlineStream(socket, deadline);
        try
        {
            stream.Arm();
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        }
        catch (SocketException e)
        {
            throw new LocalUnavailableException($"no postern daemon at {socketPath}: {e.SocketErrorCode}", e);
        }

        // A signal's cancellation ends a blocked send or receive by shutting the connection down under it.
        using var cancel = cancellationToken.Register(static s => ((DeadlineStream)s!).Abort(), stream);
        try
        {
            return Exchange(stream, envelope, message, length, changedMessage);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is IOException or SocketException or ObjectDisposedException or EndOfStreamException)
        {
            throw new OperationCanceledException("the submission was cancelled", e, cancellationToken);
        }
        catch (Exception e) when (stream.TimedOut && e is IOException or SocketException)
        {
            throw new TimeoutException($"the daemon at {socketPath} did not answer in time", e);
        }
    }

    /// <summary>The time a whole exchange for a message of <paramref name="length"/> bytes may take: the transfer gets
    /// time by size (local sockets move hundreds of MiB/s; 4 MiB/s is a floor), the scan <see cref="Timeout"/>.</summary>
    /// <param name="length">The message length.</param>
    /// <returns>The limit.</returns>
    public TimeSpan TimeFor(long length) => Timeout + TimeSpan.FromSeconds(length / (4 << 20));

    /// <summary>The protocol of <see cref="Submit"/> over a connection the caller made (a blocking stream, with its
    /// own time limits): submit frame, message chunks, decision, changed message. For a client with its own transport
    /// (the native <c>postern-mda</c> talks to the socket with plain system calls).</summary>
    /// <param name="connection">A connected stream to the daemon; blocking reads and writes.</param>
    /// <param name="envelope">The envelope; <see cref="Envelope.Agent"/> selects the policy section.</param>
    /// <param name="message">The message bytes, read from the current position.</param>
    /// <param name="length">How many bytes of <paramref name="message"/> to send.</param>
    /// <param name="changedMessage">Receives the decided message when the daemon changed it.</param>
    /// <returns>The decision; errors as <see cref="SubmitAsync"/> past the connection.</returns>
    public static LocalDecision Exchange(Stream connection, Envelope envelope, Stream message, long length, Stream changedMessage)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(changedMessage);
        LocalFrames.Write(connection, LocalFrames.Submit, new LocalSubmission(envelope, length).Encode().Span);
        LocalFrames.WriteChunks(connection, message, length);
        var (type, size) = LocalFrames.ReadHeader(connection) ?? throw new EndOfStreamException("the daemon closed the connection without a decision");
        var decision = DecisionOf(type, LocalFrames.ReadPayload(connection, size));
        if (decision.ChangedLength >= 0)
        {
            LocalFrames.ReadChunks(connection, changedMessage, decision.ChangedLength);
        }

        return decision;
    }

    // The daemon's answer frame: a decision, or an error the caller turns into a temporary failure.
    private static LocalDecision DecisionOf(byte type, byte[] body)
    {
        if (type == LocalFrames.Error)
        {
            throw new LocalServerException(Encoding.UTF8.GetString(body));
        }

        if (type != LocalFrames.Decision)
        {
            throw new LocalProtocolException($"expected a decision frame, got '{(char)type}'");
        }

        return LocalDecision.Decode(body);
    }

    /// <summary>Submits one message.</summary>
    /// <param name="envelope">The envelope; <see cref="Envelope.Agent"/> selects the policy section.</param>
    /// <param name="message">The message bytes, read from the current position.</param>
    /// <param name="length">How many bytes of <paramref name="message"/> to send.</param>
    /// <param name="changedMessage">Receives the decided message when the daemon changed it.</param>
    /// <param name="cancellationToken">Gives up (the caller then tempfails).</param>
    /// <returns>The decision; <see cref="LocalDecision.ChangedLength"/> says whether <paramref name="changedMessage"/>
    /// got the message to pass on.</returns>
    public async Task<LocalDecision> SubmitAsync(
        Envelope envelope, Stream message, long length, Stream changedMessage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(changedMessage);
        var payload = new LocalSubmission(envelope, length).Encode();
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
        }
        catch (SocketException e)
        {
            throw new LocalUnavailableException($"no postern daemon at {socketPath}: {e.SocketErrorCode}", e);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeFor(length));
        var ct = deadline.Token;
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await LocalFrames.WriteAsync(stream, LocalFrames.Submit, payload, ct);
            await LocalFrames.WriteChunksAsync(stream, message, length, ct);
            await stream.FlushAsync(ct);
            var (type, size) = await LocalFrames.ReadHeaderAsync(stream, ct) ?? throw new EndOfStreamException("the daemon closed the connection without a decision");
            var decision = DecisionOf(type, await LocalFrames.ReadPayloadAsync(stream, size, ct));
            if (decision.ChangedLength >= 0)
            {
                await LocalFrames.ReadChunksAsync(stream, changedMessage, decision.ChangedLength, ct);
            }

            return decision;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the daemon at {socketPath} did not answer in time");
        }
    }

    /// <summary>The connection for <see cref="Submit"/>: before each blocking call the socket's send and receive
    /// timeouts are set to what is left of the exchange's deadline.</summary>
    private sealed class DeadlineStream(Socket socket, long deadline) : Stream
    {
        // Made on first use: a NetworkStream needs a connected socket, and the timeouts are armed before connecting.
        private NetworkStream? inner;

        private NetworkStream Inner => inner ??= new(socket, ownsSocket: false);

        public bool TimedOut => Environment.TickCount64 >= deadline;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Arm()
        {
            var left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                throw new IOException("the exchange's time is over", new SocketException((int)SocketError.TimedOut));
            }

            // Whole milliseconds, at least one (zero would mean no timeout at all).
            var ms = (int)Math.Clamp(left, 1, int.MaxValue);
            socket.SendTimeout = ms;
            socket.ReceiveTimeout = ms;
        }

        public void Abort()
        {
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Not connected yet, or already closed: the next call fails on its own.
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            Arm();
            return Inner.Read(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Arm();
            Inner.Write(buffer);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner?.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
