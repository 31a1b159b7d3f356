using System.Buffers.Binary;
using System.Text;

namespace Postern.Protocols.Milter;

/// <summary>One packet: its command (or response) letter and its data.</summary>
/// <param name="Command">The command or response letter.</param>
/// <param name="Data">The bytes after the letter; for a packet read by <see cref="MilterFraming"/>, valid until the next read.</param>
public readonly record struct MilterPacket(byte Command, ReadOnlyMemory<byte> Data);

/// <summary>
/// Milter framing: <c>uint32 length (network order)</c>, a command letter, <c>length - 1</c> data bytes. A reader is
/// bound to one stream and one buffer and is not thread-safe; <see cref="WriteAsync"/> is stateless, but one stream
/// must have one writer at a time. A length of zero or past the limit, or a stream that ends inside a packet, throws
/// <see cref="MilterProtocolException"/>; a stream that ends between packets reads as <c>null</c>.
/// </summary>
public sealed class MilterFraming
{
    private readonly Stream stream;
    private readonly byte[] buffer;
    private readonly int maxData;
    private readonly byte[] ahead = new byte[AheadSize];
    private int aheadStart;
    private int aheadEnd;

    /// <summary>The read-ahead buffer: more than a typical header block with its macros.</summary>
    private const int AheadSize = 8192;

    /// <summary>Reads packets from <paramref name="stream"/> whose data is at most <paramref name="maxDataSize"/> bytes.</summary>
    public MilterFraming(Stream stream, int maxDataSize = MilterProtocol.MaxDataSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDataSize, 16);
        this.stream = stream;
        maxData = maxDataSize;
        buffer = new byte[maxDataSize + 5];
    }

    /// <summary>Reads the next packet, or <c>null</c> when the stream ended cleanly between packets.</summary>
    public async ValueTask<MilterPacket?> ReadAsync(CancellationToken cancellationToken)
    {
        var got = await FillAsync(buffer.AsMemory(0, 4), allowEof: true, cancellationToken);
        if (got == 0)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(buffer);
        if (length == 0)
        {
            throw new MilterProtocolException("packet of length 0 (no command letter)");
        }

        if (length - 1 > (uint)maxData)
        {
            throw new MilterProtocolException($"packet of {length} bytes is past the limit of {maxData + 1}");
        }

        await FillAsync(buffer.AsMemory(4, (int)length), allowEof: false, cancellationToken);
        return new MilterPacket(buffer[4], buffer.AsMemory(5, (int)length - 1));
    }

    // Reads go through a small read-ahead buffer, so the run of short packets an MTA sends in one write (macros and
    // one packet per header, then end of headers) costs one receive, not two per packet; a part at least as large as
    // the buffer (body chunks) is read straight into its target.
    private async ValueTask<int> FillAsync(Memory<byte> target, bool allowEof, CancellationToken ct)
    {
        var total = 0;
        while (total < target.Length)
        {
            if (aheadStart < aheadEnd)
            {
                var n = Math.Min(aheadEnd - aheadStart, target.Length - total);
                ahead.AsSpan(aheadStart, n).CopyTo(target.Span[total..]);
                aheadStart += n;
                total += n;
                continue;
            }

            var want = target.Length - total;
            int got;
            if (want >= ahead.Length)
            {
                got = await stream.ReadAsync(target[total..], ct);
                total += got;
            }
            else
            {
                got = await stream.ReadAsync(ahead, ct);
                (aheadStart, aheadEnd) = (0, got);
            }

            if (got == 0)
            {
                if (total == 0 && allowEof)
                {
                    return 0;
                }

                throw new MilterProtocolException($"connection closed inside a packet ({total} of {target.Length} bytes)");
            }
        }

        return total;
    }

    /// <summary>The length word and the letter in front of a packet's data.</summary>
    public const int HeaderSize = 5;

    /// <summary>Writes one packet (letter + data) in one write.</summary>
    public static async ValueTask WriteAsync(Stream stream, byte command, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var packet = new byte[HeaderSize + data.Length];
        Frame(packet, command, data.Span);
        await stream.WriteAsync(packet, cancellationToken);
    }

    /// <summary>Puts one packet (length, letter, data) at the start of <paramref name="destination"/>, which must hold
    /// <see cref="HeaderSize"/> + data bytes, and returns its length.</summary>
    public static int Frame(Span<byte> destination, byte command, ReadOnlySpan<byte> data)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)(data.Length + 1));
        destination[4] = command;
        data.CopyTo(destination[HeaderSize..]);
        return HeaderSize + data.Length;
    }

    /// <summary>Splits NUL-terminated strings (an "argv"); a last string without its NUL is kept. Bytes are read as
    /// Latin-1 so that every byte survives a round trip.</summary>
    public static List<string> SplitStrings(ReadOnlySpan<byte> data)
    {
        var list = new List<string>();
        while (!data.IsEmpty)
        {
            var nul = data.IndexOf((byte)0);
            var piece = nul < 0 ? data : data[..nul];
            list.Add(Encoding.Latin1.GetString(piece));
            data = nul < 0 ? [] : data[(nul + 1)..];
        }

        return list;
    }

    /// <summary>Encodes strings each followed by a NUL, as Latin-1 (the inverse of <see cref="SplitStrings"/>).</summary>
    public static byte[] JoinStrings(params ReadOnlySpan<string> strings)
    {
        var size = 0;
        foreach (var s in strings)
        {
            size += s.Length + 1;
        }

        var bytes = new byte[size];
        var at = 0;
        foreach (var s in strings)
        {
            at += Encoding.Latin1.GetBytes(s, bytes.AsSpan(at));
            bytes[at++] = 0;
        }

        return bytes;
    }
}
