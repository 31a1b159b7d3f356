using System.Buffers.Binary;
using System.Text;
using Postern.Extraction.Buffers;

namespace Postern.Extraction.Inline;

/// <summary>
/// BinHex 4.0 (RFC 1741): 6-bit characters between two colons, then run-length encoding with 0x90, then a header
/// (name, type, creator, flags, fork lengths) followed by the data fork, which is what we return. CRCs are not checked:
/// a recipient's decoder that ignores them would still hand the payload over.
/// </summary>
internal static class BinHexDecoder
{
    private const byte RunMarker = 0x90;

    // RFC 1741 section 4: the 64 characters, in value order.
    private static readonly byte[] Alphabet =
        "!\"#$%&'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr"u8.ToArray();

    private static readonly sbyte[] Values = BuildValues();

    public static int FindNext(ReadOnlySpan<byte> text, int from)
    {
        var at = text[from..].IndexOf("(This file must be converted with BinHex"u8);
        return at < 0 ? -1 : from + at;
    }

    /// <summary>Decodes into <paramref name="output"/>; the data fork is then <paramref name="output"/>[dataStart..].</summary>
    public static InlineBlock Decode(ReadOnlySpan<byte> text, int start, PooledBuffer output, long cap, out int dataStart)
    {
        dataStart = 0;
        TextLines.Line(text, start, out var at);
        var open = text[at..].IndexOf((byte)':');
        if (open < 0)
        {
            return new InlineBlock(text.Length, null, null);
        }

        var (end, reason) = Expand(text, at + open + 1, output, cap);
        var decoded = output.Array.AsSpan(0, output.Length);
        if (decoded.Length < 1 || decoded.Length < 1 + decoded[0] + 20)
        {
            output.Length = 0;
            return new InlineBlock(end, null, reason ?? "corrupt: BinHex header truncated");
        }

        var nameLength = decoded[0];
        var name = Encoding.Latin1.GetString(decoded.Slice(1, nameLength));
        // After the name: version (1), type (4), creator (4), flags (2), data length (4), resource length (4), CRC (2).
        var header = 1 + nameLength + 1 + 4 + 4 + 2;
        var dataLength = BinaryPrimitives.ReadUInt32BigEndian(decoded[header..]);
        dataStart = header + 4 + 4 + 2;
        output.Length = (int)Math.Min(output.Length, dataStart + (long)dataLength);
        return new InlineBlock(end, name, reason);
    }

    /// <summary>6-bit decoding and run-length expansion in one pass, up to the closing colon.</summary>
    private static (int End, string? Reason) Expand(ReadOnlySpan<byte> text, int at, PooledBuffer output, long cap)
    {
        int bits = 0, bitCount = 0;
        byte last = 0;
        var pendingRun = false;
        for (; at < text.Length; at++)
        {
            var c = text[at];
            if (c == ':')
            {
                return (at + 1, null);
            }

            var value = Values[c];
            if (value < 0)
            {
                continue;
            }

            bits = (bits << 6) | (byte)value;
            bitCount += 6;
            if (bitCount < 8)
            {
                continue;
            }

            bitCount -= 8;
            var b = (byte)(bits >> bitCount);
            if (pendingRun)
            {
                pendingRun = false;
                // A count of 0 stands for the marker byte itself; otherwise the previous byte repeats count-1 more times.
                var repeat = b == 0 ? 1 : b - 1;
                if (!Append(output, b == 0 ? RunMarker : last, repeat, cap))
                {
                    return (at, "size limit");
                }

                last = b == 0 ? RunMarker : last;
            }
            else if (b == RunMarker)
            {
                pendingRun = true;
            }
            else if (!Append(output, last = b, 1, cap))
            {
                return (at, "size limit");
            }
        }

        return (at, null);
    }

    private static bool Append(PooledBuffer output, byte value, int count, long cap)
    {
        if (output.Length + count > cap)
        {
            return false;
        }

        output.Grow(output.Length + count);
        output.Array.AsSpan(output.Length, count).Fill(value);
        output.Length += count;
        return true;
    }

    private static sbyte[] BuildValues()
    {
        var values = new sbyte[256];
        Array.Fill(values, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            values[Alphabet[i]] = (sbyte)i;
        }

        return values;
    }
}
