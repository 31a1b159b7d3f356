using System.Net.Sockets;
using System.Text;
using Postern.Sdk.Messages;

namespace Postern.Protocols.Local;

/// <summary>
/// Hands one message to a running <c>postern serve</c> over its local socket and returns the decision; the decided
/// message is written to a stream of the caller's when the daemon changed it (marked or cleaned).
/// </summary>
/// <remarks>
/// <para>Threading: one call per message; instances are immutable and may be shared.</para>
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

        // The transfer gets time by size (local sockets move hundreds of MiB/s; 4 MiB/s is a floor), the scan Timeout.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout + TimeSpan.FromSeconds(length / (4 << 20)));
        var ct = deadline.Token;
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await LocalFrames.WriteAsync(stream, LocalFrames.Submit, payload, ct);
            await LocalFrames.WriteChunksAsync(stream, message, length, ct);
            await stream.FlushAsync(ct);
            var (type, size) = await LocalFrames.ReadHeaderAsync(stream, ct) ?? throw new EndOfStreamException("the daemon closed the connection without a decision");
            var body = await LocalFrames.ReadPayloadAsync(stream, size, ct);
            if (type == LocalFrames.Error)
            {
                throw new LocalServerException(Encoding.UTF8.GetString(body));
            }

            if (type != LocalFrames.Decision)
            {
                throw new LocalProtocolException($"expected a decision frame, got '{(char)type}'");
            }

            var decision = LocalDecision.Decode(body);
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
}
