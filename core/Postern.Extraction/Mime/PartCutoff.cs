namespace Postern.Extraction.Mime;

/// <summary>
/// Bounds the work MimeKit may do: it builds an object for every entity before we can count them, so a message of a
/// million empty parts (emailjs-mime-parser#39) would cost gigabytes. We count boundary-like lines ("--" at a line
/// start) first and hand MimeKit only the prefix that holds the allowed number of entities.
/// </summary>
internal static class PartCutoff
{
    /// <summary>The number of bytes to parse: all of them, or the offset of the first boundary line past the limit.</summary>
    public static int ParseLength(ReadOnlySpan<byte> message, int maxParts)
    {
        // Each entity opens with one boundary line and each multipart closes with one more.
        var allowedLines = (2L * maxParts) + 2;
        var lines = 0L;
        var at = 0;
        while (true)
        {
            var hit = message[at..].IndexOf("\n--"u8);
            if (hit < 0)
            {
                return message.Length;
            }

            at += hit + 1;
            if (++lines > allowedLines)
            {
                return at;
            }
        }
    }
}
