using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Postern.Protocols.Local;

/// <summary>Builds a frame payload: integers big-endian, strings as a 32-bit length and UTF-8 bytes.</summary>
internal sealed class FieldWriter
{
    // A growable array; MemoryStream would drag in IDisposable for nothing.
    private readonly ArrayBufferWriter<byte> buffer = new();

    public void Byte(byte value) => buffer.Write([value]);

    public void Int32(int value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b, value);
        buffer.Write(b);
    }

    public void Int64(long value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(b, value);
        buffer.Write(b);
    }

    public void String(string? value)
    {
        var bytes = Encoding.UTF8.GetBytes(value ?? "");
        Int32(bytes.Length);
        buffer.Write(bytes);
    }

    public ReadOnlyMemory<byte> ToMemory()
    {
        if (buffer.WrittenCount > LocalFrames.MaxPayload)
        {
            throw new LocalProtocolException($"frame of {buffer.WrittenCount} bytes is over the {LocalFrames.MaxPayload}-byte limit");
        }

        return buffer.WrittenMemory;
    }
}

/// <summary>Reads a payload built by <see cref="FieldWriter"/>; every read is bounds-checked.</summary>
internal sealed class FieldReader(byte[] payload)
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private int position;

    public bool AtEnd => position == payload.Length;

    public byte Byte()
    {
        Need(1);
        return payload[position++];
    }

    public int Int32()
    {
        Need(4);
        var v = BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(position));
        position += 4;
        return v;
    }

    public long Int64()
    {
        Need(8);
        var v = BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(position));
        position += 8;
        return v;
    }

    public int Count(int max, string what)
    {
        var n = Int32();
        if (n < 0 || n > max)
        {
            throw new LocalProtocolException($"{what}: count {n} outside 0..{max}");
        }

        return n;
    }

    public string String()
    {
        var n = Int32();
        if (n < 0)
        {
            throw new LocalProtocolException("negative string length");
        }

        Need(n);
        try
        {
            var s = StrictUtf8.GetString(payload, position, n);
            position += n;
            return s;
        }
        catch (DecoderFallbackException e)
        {
            throw new LocalProtocolException("a string field is not UTF-8", e);
        }
    }

    public void End()
    {
        if (!AtEnd)
        {
            throw new LocalProtocolException($"{payload.Length - position} unexpected bytes at the end of a frame");
        }
    }

    private void Need(int n)
    {
        if (payload.Length - position < n)
        {
            throw new LocalProtocolException("a frame ends inside a field");
        }
    }
}
