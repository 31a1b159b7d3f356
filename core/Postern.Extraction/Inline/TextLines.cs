namespace Postern.Extraction.Inline;

/// <summary>Line helpers for the inline decoders: lines end at LF, a CR before it is dropped.</summary>
internal static class TextLines
{
    /// <summary>The line starting at <paramref name="at"/> without its terminator, and where the next line starts.</summary>
    public static ReadOnlySpan<byte> Line(ReadOnlySpan<byte> text, int at, out int next)
    {
        var rest = text[at..];
        var lf = rest.IndexOf((byte)'\n');
        var line = lf < 0 ? rest : rest[..lf];
        next = lf < 0 ? text.Length : at + lf + 1;
        return line.Length > 0 && line[^1] == '\r' ? line[..^1] : line;
    }

    /// <summary>The first occurrence of <paramref name="marker"/> at the start of a line, from <paramref name="from"/>.</summary>
    public static int FindAtLineStart(ReadOnlySpan<byte> text, ReadOnlySpan<byte> marker, int from)
    {
        while (from < text.Length)
        {
            var hit = text[from..].IndexOf(marker);
            if (hit < 0)
            {
                return -1;
            }

            var at = from + hit;
            if (at == 0 || text[at - 1] == '\n')
            {
                return at;
            }

            from = at + 1;
        }

        return -1;
    }
}
