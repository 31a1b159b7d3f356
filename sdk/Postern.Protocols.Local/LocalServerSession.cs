using System.Text;
using Postern.Sdk.Messages;

namespace Postern.Protocols.Local;

/// <summary>
/// The daemon's side of one local connection: reads a submission, asks the dispatcher, writes the decision and the
/// decided message when it changed.
/// </summary>
/// <remarks>
/// <para>Threading: one call per connection; calls run concurrently.</para>
/// <para>Errors: never throws for what the client sends. A malformed frame, a message over
/// <see cref="MaxMessageSize"/>, an unknown agent or a client too slow gets an error frame (best effort) and the
/// connection ends; the returned text says what happened, for the log. Cancellation (the daemon's drain time running
/// out) also ends in an error frame, which clients read as a temporary failure.</para>
/// </remarks>
public sealed class LocalServerSession
{
    /// <summary>The default largest message accepted: 256 MiB.</summary>
    public const long DefaultMaxMessageSize = 256L << 20;

    /// <summary>The largest message accepted; larger ones get an error frame before any byte is read.</summary>
    public long MaxMessageSize { get; init; } = DefaultMaxMessageSize;

    /// <summary>Time for the client to send its submit frame, and the floor of the transfer time.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Which agent names a client may submit as (the policy section that applies); null allows any.</summary>
    public Func<string, bool>? AgentAllowed { get; init; }

    /// <summary>Serves one connection.</summary>
    /// <param name="stream">The connection.</param>
    /// <param name="dispatcher">Scan and policy.</param>
    /// <param name="cancellationToken">Fires when the daemon stops waiting (end of the drain).</param>
    /// <returns>One line for the log: the outcome or the reason the connection was dropped.</returns>
    public async Task<string> ServeAsync(Stream stream, IMessageDispatcher dispatcher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(dispatcher);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(IdleTimeout);
        try
        {
            var (type, size) = await LocalFrames.ReadHeaderAsync(stream, deadline.Token) ?? throw new EndOfStreamException("closed before submitting");
            if (type != LocalFrames.Submit)
            {
                throw new LocalProtocolException($"expected a submit frame, got '{(char)type}'");
            }

            var submission = LocalSubmission.Decode(await LocalFrames.ReadPayloadAsync(stream, size, deadline.Token));
            if (submission.MessageLength > MaxMessageSize)
            {
                return await FailAsync(stream, $"message of {submission.MessageLength} bytes is over the {MaxMessageSize}-byte limit of the local socket");
            }

            if (AgentAllowed is { } allowed && !allowed(submission.Envelope.Agent))
            {
                return await FailAsync(stream, $"unknown agent '{submission.Envelope.Agent}'");
            }

            deadline.CancelAfter(IdleTimeout + TimeSpan.FromSeconds(submission.MessageLength / (4 << 20)));
            using var message = new MemoryStream((int)Math.Min(submission.MessageLength, 1 << 20));
            await LocalFrames.ReadChunksAsync(stream, message, submission.MessageLength, deadline.Token);
            var original = message.GetBuffer().AsMemory(0, (int)message.Length);

            // The scan has the dispatcher's own deadline (scan_timeout); only the daemon's drain end stops it here.
            var decision = await dispatcher.SubmitAsync(submission.Envelope, original, cancellationToken);
            var changed = !decision.Message.Equals(original) && !decision.Message.Span.SequenceEqual(original.Span);
            var reply = new LocalDecision(decision.Report, decision.Recipients, changed ? decision.Message.Length : -1);
            deadline.CancelAfter(IdleTimeout + TimeSpan.FromSeconds(decision.Message.Length / (4 << 20)));
            await LocalFrames.WriteAsync(stream, LocalFrames.Decision, reply.Encode(), deadline.Token);
            if (changed)
            {
                for (var offset = 0; offset < decision.Message.Length; offset += LocalFrames.ChunkSize)
                {
                    var piece = decision.Message.Slice(offset, Math.Min(LocalFrames.ChunkSize, decision.Message.Length - offset));
                    await LocalFrames.WriteAsync(stream, LocalFrames.Chunk, piece, deadline.Token);
                }
            }

            await stream.FlushAsync(deadline.Token);
            return $"{submission.Envelope.Agent}: {submission.MessageLength} bytes, {decision.Report.Status}, {decision.Strictest}";
        }
        catch (LocalProtocolException e)
        {
            return await FailAsync(stream, $"protocol error: {e.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return await FailAsync(stream, "postern serve is shutting down");
        }
        catch (OperationCanceledException)
        {
            return await FailAsync(stream, "client too slow");
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            return $"connection lost: {e.Message}";
        }
    }

    private static async Task<string> FailAsync(Stream stream, string text)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var bytes = Encoding.UTF8.GetBytes(text.Length > 1000 ? text[..1000] : text);
            await LocalFrames.WriteAsync(stream, LocalFrames.Error, bytes, cts.Token);
            await stream.FlushAsync(cts.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // Best effort: the client may be gone already.
        }

        return text;
    }
}
