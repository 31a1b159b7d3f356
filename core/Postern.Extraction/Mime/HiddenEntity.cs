namespace Postern.Extraction.Mime;

/// <summary>
/// Finds a header block hidden in text where a strict parser sees none (a preamble or epilogue carrying a part):
/// a line starting with Content-Type or Content-Transfer-Encoding.
/// </summary>
internal static class HiddenEntity
{
    /// <summary>The offset of the line that starts the hidden header block, or -1.</summary>
    public static int Find(ReadOnlySpan<byte> text)
    {
        var best = -1;
        foreach (var marker in (string[])["\ncontent-type:", "\ncontent-transfer-encoding:"])
        {
            var at = IndexOfIgnoreCase(text, marker);
            if (at >= 0 && (best < 0 || at < best))
            {
                best = at + 1;
            }
        }

        return best;
    }

    private static int IndexOfIgnoreCase(ReadOnlySpan<byte> text, string marker)
    {
        Span<byte> lower = stackalloc byte[marker.Length];
        Span<byte> upper = stackalloc byte[marker.Length];
        for (var i = 0; i < marker.Length; i++)
        {
            lower[i] = (byte)char.ToLowerInvariant(marker[i]);
            upper[i] = (byte)char.ToUpperInvariant(marker[i]);
        }

        for (var at = 0; at + marker.Length <= text.Length; at++)
        {
            var hit = text[at..].IndexOf((byte)'\n');
            if (hit < 0 || at + hit + marker.Length > text.Length)
            {
                return -1;
            }

            at += hit;
            if (Matches(text.Slice(at, marker.Length), lower, upper))
            {
                return at;
            }
        }

        return -1;
    }

    private static bool Matches(ReadOnlySpan<byte> candidate, ReadOnlySpan<byte> lower, ReadOnlySpan<byte> upper)
    {
        for (var i = 0; i < candidate.Length; i++)
        {
            if (candidate[i] != lower[i] && candidate[i] != upper[i])
            {
                return false;
            }
        }

        return true;
    }
}
