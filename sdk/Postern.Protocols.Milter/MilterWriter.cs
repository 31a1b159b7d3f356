namespace Postern.Protocols.Milter;

/// <summary>
/// Writes one connection's packets. <see cref="SendAsync"/> puts one out at once; <see cref="QueueAsync"/> collects
/// packets so that a whole answer (header changes, then the final reply) goes out in one write at
/// <see cref="FlushAsync"/>. A packet larger than the queue flushes it and is written on its own. After each flush a
/// TCP connection is set to acknowledge at once again (<see cref="TcpQuickAck"/>). Not thread-safe: one writer per
/// connection, used by one session.
/// </summary>
public sealed class MilterWriter(Stream stream, TcpQuickAck? quickAck = null)
{
    /// <summary>The queue: room for every header change of a usual answer.</summary>
    public const int QueueSize = 8192;

    private readonly byte[] queued = new byte[QueueSize];
    private int queuedLength;

    /// <summary>Writes one packet (after anything queued) and flushes.</summary>
    public async ValueTask SendAsync(byte letter, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await QueueAsync(letter, data, cancellationToken);
        await FlushAsync(cancellationToken);
    }

    /// <summary>Adds one packet to the queue, writing the queue out first when it would not fit.</summary>
    public async ValueTask QueueAsync(byte letter, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var size = MilterFraming.HeaderSize + data.Length;
        if (queuedLength + size > queued.Length)
        {
            await WriteQueuedAsync(cancellationToken);
            if (size > queued.Length)
            {
                await MilterFraming.WriteAsync(stream, letter, data, cancellationToken);
                return;
            }
        }

        queuedLength += MilterFraming.Frame(queued.AsSpan(queuedLength), letter, data.Span);
    }

    /// <summary>Writes the answer to a message: its modifications (a body replacement cut into packets of at most
    /// <see cref="MilterProtocol.MaxDataSize"/>), then the final reply, together (in one write unless a body replacement
    /// is large), so the MTA reads its whole answer at once.</summary>
    public async ValueTask AnswerAsync(MilterResult result, CancellationToken cancellationToken)
    {
        foreach (var m in result.Modifications)
        {
            if (m is ReplaceBody replace)
            {
                // An empty replacement is one empty packet.
                var body = replace.Body;
                do
                {
                    var n = Math.Min(MilterProtocol.MaxDataSize, body.Length);
                    await QueueAsync(m.Letter, body[..n], cancellationToken);
                    body = body[n..];
                }
                while (!body.IsEmpty);
            }
            else
            {
                await QueueAsync(m.Letter, m.Data(), cancellationToken);
            }
        }

        await QueueAsync(result.Final.Letter, result.Final.Data(), cancellationToken);
        await FlushAsync(cancellationToken);
    }

    /// <summary>Writes what is queued and flushes the stream.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await WriteQueuedAsync(cancellationToken);
        await stream.FlushAsync(cancellationToken);
        quickAck?.Arm();
    }

    private async ValueTask WriteQueuedAsync(CancellationToken cancellationToken)
    {
        if (queuedLength == 0)
        {
            return;
        }

        var length = queuedLength;
        queuedLength = 0;
        await stream.WriteAsync(queued.AsMemory(0, length), cancellationToken);
    }
}
