using System.Text;
using Postern.Extraction.Buffers;

namespace Postern.Extraction.Inline;

/// <summary>
/// uuencode blocks in text ("begin 644 name" ... "end", POSIX uuencode). Lenient like uudecode: a missing "end" line
/// ends the block at the first empty or non-uuencode line.
/// </summary>
internal static class UuDecoder
{
    public static int FindNext(ReadOnlySpan<byte> text, int from)
    {
        while (true)
        {
            var at = TextLines.FindAtLineStart(text, "begin "u8, from);
            if (at < 0 || IsBeginLine(TextLines.Line(text, at, out _)))
            {
                return at;
            }

            from = at + 1;
        }
    }

    public static InlineBlock Decode(ReadOnlySpan<byte> text, int start, PooledBuffer output, long cap)
    {
        var begin = TextLines.Line(text, start, out var at);
        var modeEnd = begin[6..].IndexOf((byte)' ') + 6;
        var name = Encoding.UTF8.GetString(begin[(modeEnd + 1)..]).Trim();
        while (at < text.Length)
        {
            var line = TextLines.Line(text, at, out var next);
            at = next;
            if (line.IsEmpty || line.SequenceEqual("end"u8))
            {
                break;
            }

            var count = (line[0] - 0x20) & 0x3F;
            if (count == 0)
            {
                continue;
            }

            if (output.Length + count > cap)
            {
                return new InlineBlock(at, name, "size limit");
            }

            DecodeLine(line[1..], count, output);
        }

        return new InlineBlock(at, name, null);
    }

    private static void DecodeLine(ReadOnlySpan<byte> chars, int count, PooledBuffer output)
    {
        output.Grow(output.Length + count + 3);
        var written = 0;
        for (var i = 0; written < count; i += 4)
        {
            var quad = 0;
            for (var k = 0; k < 4; k++)
            {
                quad = (quad << 6) | (i + k < chars.Length ? (chars[i + k] - 0x20) & 0x3F : 0);
            }

            for (var shift = 16; shift >= 0 && written < count; shift -= 8)
            {
                output.Array[output.Length++] = (byte)(quad >> shift);
                written++;
            }
        }
    }

    /// <summary>"begin", space, a three- or four-digit octal mode, space, a name.</summary>
    private static bool IsBeginLine(ReadOnlySpan<byte> line)
    {
        var rest = line[6..];
        var digits = rest.IndexOfAnyExceptInRange((byte)'0', (byte)'7');
        return digits is 3 or 4 && rest.Length > digits + 1 && rest[digits] == ' ';
    }
}
