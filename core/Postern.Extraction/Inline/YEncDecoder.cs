using System.Text;
using Postern.Extraction.Buffers;

namespace Postern.Extraction.Inline;

/// <summary>yEnc blocks ("=ybegin ... name=" ... "=yend", yEnc 1.3): bytes shifted by 42, '=' escapes shift by 64 more.</summary>
internal static class YEncDecoder
{
    public static int FindNext(ReadOnlySpan<byte> text, int from) => TextLines.FindAtLineStart(text, "=ybegin "u8, from);

    public static InlineBlock Decode(ReadOnlySpan<byte> text, int start, PooledBuffer output, long cap)
    {
        var header = TextLines.Line(text, start, out var at);
        var nameAt = header.IndexOf(" name="u8);
        var name = nameAt < 0 ? null : Encoding.UTF8.GetString(header[(nameAt + 6)..]).Trim();
        while (at < text.Length)
        {
            var line = TextLines.Line(text, at, out var next);
            at = next;
            if (line.StartsWith("=yend"u8))
            {
                break;
            }

            if (line.StartsWith("=ypart "u8))
            {
                continue;
            }

            if (output.Length + line.Length > cap)
            {
                return new InlineBlock(at, name, "size limit");
            }

            DecodeLine(line, output);
        }

        return new InlineBlock(at, name, null);
    }

    private static void DecodeLine(ReadOnlySpan<byte> line, PooledBuffer output)
    {
        output.Grow(output.Length + line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '=' && i + 1 < line.Length)
            {
                c = (byte)(line[++i] - 64);
            }

            output.Array[output.Length++] = (byte)(c - 42);
        }
    }
}
