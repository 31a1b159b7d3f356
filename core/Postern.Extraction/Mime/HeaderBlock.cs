namespace Postern.Extraction.Mime;

/// <summary>Finds where the header block of a message ends, without parsing it.</summary>
internal static class HeaderBlock
{
    /// <summary>Length of the header block (up to and including the blank line), or the whole length if none.</summary>
    public static int Length(ReadOnlySpan<byte> data)
    {
        var lf = data.IndexOf("\n\n"u8);
        var crlf = data.IndexOf("\n\r\n"u8);
        if (lf < 0 && crlf < 0)
        {
            return data.Length;
        }

        return lf >= 0 && (crlf < 0 || lf < crlf) ? lf + 2 : crlf + 3;
    }
}
