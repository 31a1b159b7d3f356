using System.Buffers.Binary;

namespace Postern.Protocols.Local;

/// <summary>
/// The frames of the local submission protocol: a type byte, a 32-bit big-endian payload length, the payload.
/// </summary>
/// <remarks>
/// <para>Client to server: one <see cref="Submit"/> frame (protocol version, message length, envelope), then
/// <see cref="Chunk"/> frames carrying exactly that many message bytes. Server to client: one <see cref="Decision"/>
/// frame, then, when the decision changed the message (marking, cleaning), <see cref="Chunk"/> frames carrying the
/// decided message; or one <see cref="Error"/> frame (text), after which the server closes the connection. One message per
/// connection.</para>
/// <para>Threading: static and stateless. Errors: a malformed or oversized frame throws
/// <see cref="LocalProtocolException"/>; a stream that ends early throws <see cref="EndOfStreamException"/>.</para>
/// </remarks>
public static class LocalFrames
{
    /// <summary>The protocol version carried in the submit frame.</summary>
    public const byte Version = 1;

    /// <summary>Client: envelope and message length.</summary>
    public const byte Submit = (byte)'S';

    /// <summary>Either side: a piece of message bytes.</summary>
    public const byte Chunk = (byte)'M';

    /// <summary>Server: the decision.</summary>
    public const byte Decision = (byte)'D';

    /// <summary>Server: the submission failed (text); the caller must treat it as a temporary failure.</summary>
    public const byte Error = (byte)'E';

    /// <summary>The largest payload a frame may carry (envelope and decision frames included).</summary>
    public const int MaxPayload = 1 << 20;

    /// <summary>The size of the message chunks this implementation writes.</summary>
    public const int ChunkSize = 64 * 1024;

    /// <summary>Writes one frame.</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="type">The frame type.</param>
    /// <param name="payload">At most <see cref="MaxPayload"/> bytes.</param>
    /// <param name="ct">Cancels the write.</param>
    public static async ValueTask WriteAsync(Stream stream, byte type, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payload.Length, MaxPayload);
        var header = new byte[5];
        header[0] = type;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), (uint)payload.Length);
        await stream.WriteAsync(header, ct);
        if (payload.Length > 0)
        {
            await stream.WriteAsync(payload, ct);
        }
    }

    /// <summary>Writes one frame with a blocking write: header and payload go out in one call.</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="type">The frame type.</param>
    /// <param name="payload">At most <see cref="MaxPayload"/> bytes.</param>
    public static void Write(Stream stream, byte type, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payload.Length, MaxPayload);
        var frame = new byte[5 + payload.Length];
        frame[0] = type;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(5));
        stream.Write(frame);
    }

    /// <summary>The blocking form of <see cref="ReadHeaderAsync"/>.</summary>
    /// <param name="stream">Where to read.</param>
    public static (byte Type, int Length)? ReadHeader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[5];
        var got = stream.ReadAtLeast(header, 5, throwOnEndOfStream: false);
        return got == 0 ? null : CheckHeader(header, got);
    }

    /// <summary>The blocking form of <see cref="ReadPayloadAsync"/>.</summary>
    /// <param name="stream">Where to read.</param>
    /// <param name="length">The payload length from <see cref="ReadHeader"/>.</param>
    public static byte[] ReadPayload(Stream stream, int length)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var payload = new byte[length];
        stream.ReadExactly(payload);
        return payload;
    }

    /// <summary>The blocking form of <see cref="WriteChunksAsync"/>: each chunk frame is one write.</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="source">The message, read from its current position.</param>
    /// <param name="length">How many bytes to send; the source must hold at least that many.</param>
    public static void WriteChunks(Stream stream, Stream source, long length)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        var frame = new byte[5 + (int)Math.Min(ChunkSize, length)];
        frame[0] = Chunk;
        var left = length;
        while (left > 0)
        {
            var n = source.Read(frame, 5, (int)Math.Min(frame.Length - 5, left));
            if (n == 0)
            {
                throw new EndOfStreamException($"the message source ended {left} bytes short of its length");
            }

            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)n);
            stream.Write(frame, 0, 5 + n);
            left -= n;
        }
    }

    /// <summary>The blocking form of <see cref="ReadChunksAsync"/>.</summary>
    /// <param name="stream">Where to read.</param>
    /// <param name="target">Where the bytes go.</param>
    /// <param name="length">How many message bytes to expect.</param>
    public static void ReadChunks(Stream stream, Stream target, long length)
    {
        ArgumentNullException.ThrowIfNull(target);
        var buffer = new byte[(int)Math.Min(ChunkSize, length)];
        var left = length;
        while (left > 0)
        {
            var (type, size) = ReadHeader(stream) ?? throw new EndOfStreamException("the connection ended inside the message");
            CheckChunk(type, size, left);
            var remaining = size;
            while (remaining > 0)
            {
                var n = Math.Min(remaining, buffer.Length);
                stream.ReadExactly(buffer, 0, n);
                target.Write(buffer, 0, n);
                remaining -= n;
            }

            left -= size;
        }
    }

    /// <summary>Reads one frame header and returns its type and payload length (checked against
    /// <see cref="MaxPayload"/>); returns <c>null</c> on a clean end of stream before the first byte.</summary>
    /// <param name="stream">Where to read.</param>
    /// <param name="ct">Cancels the read.</param>
    public static async ValueTask<(byte Type, int Length)?> ReadHeaderAsync(Stream stream, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[5];
        var got = await stream.ReadAtLeastAsync(header, 5, throwOnEndOfStream: false, ct);
        if (got == 0)
        {
            return null;
        }

        return CheckHeader(header, got);
    }

    private static (byte Type, int Length) CheckHeader(ReadOnlySpan<byte> header, int got)
    {
        if (got < 5)
        {
            throw new EndOfStreamException("the connection ended inside a frame header");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > MaxPayload)
        {
            throw new LocalProtocolException($"frame of {length} bytes is over the {MaxPayload}-byte limit");
        }

        if (header[0] is not (Submit or Chunk or Decision or Error))
        {
            throw new LocalProtocolException($"unknown frame type 0x{header[0]:x2}");
        }

        return (header[0], (int)length);
    }

    private static void CheckChunk(byte type, int size, long left)
    {
        if (type != Chunk || size > left || size == 0)
        {
            throw new LocalProtocolException($"expected a message chunk of at most {left} bytes, got frame '{(char)type}' of {size}");
        }
    }

    /// <summary>Reads exactly <paramref name="length"/> payload bytes into a new array.</summary>
    /// <param name="stream">Where to read.</param>
    /// <param name="length">The payload length from <see cref="ReadHeaderAsync"/>.</param>
    /// <param name="ct">Cancels the read.</param>
    public static async ValueTask<byte[]> ReadPayloadAsync(Stream stream, int length, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var payload = new byte[length];
        await stream.ReadExactlyAsync(payload, ct);
        return payload;
    }

    /// <summary>Sends <paramref name="length"/> bytes of <paramref name="source"/> as chunk frames.</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="source">The message, read from its current position.</param>
    /// <param name="length">How many bytes to send; the source must hold at least that many.</param>
    /// <param name="ct">Cancels the copy.</param>
    public static async ValueTask WriteChunksAsync(Stream stream, Stream source, long length, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        var buffer = new byte[ChunkSize];
        var left = length;
        while (left > 0)
        {
            var n = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), ct);
            if (n == 0)
            {
                throw new EndOfStreamException($"the message source ended {left} bytes short of its length");
            }

            await WriteAsync(stream, Chunk, buffer.AsMemory(0, n), ct);
            left -= n;
        }
    }

    /// <summary>Receives chunk frames carrying exactly <paramref name="length"/> bytes into <paramref name="target"/>.</summary>
    /// <param name="stream">Where to read.</param>
    /// <param name="target">Where the bytes go.</param>
    /// <param name="length">How many message bytes to expect.</param>
    /// <param name="ct">Cancels the copy.</param>
    public static async ValueTask ReadChunksAsync(Stream stream, Stream target, long length, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        var buffer = new byte[ChunkSize];
        var left = length;
        while (left > 0)
        {
            var (type, size) = await ReadHeaderAsync(stream, ct) ?? throw new EndOfStreamException("the connection ended inside the message");
            CheckChunk(type, size, left);

            var remaining = size;
            while (remaining > 0)
            {
                var n = Math.Min(remaining, buffer.Length);
                await stream.ReadExactlyAsync(buffer.AsMemory(0, n), ct);
                await target.WriteAsync(buffer.AsMemory(0, n), ct);
                remaining -= n;
            }

            left -= size;
        }
    }
}
