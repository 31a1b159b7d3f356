using System.Text;

namespace Postern.Extraction.Mime;

/// <summary>
/// Decides whether bytes are an RFC 5322 message: a block of "Name: value" lines (folded lines allowed, an mbox "From "
/// line allowed first) that contains at least one well-known mail header, ended by a blank line or the end of the data.
/// Like clamscan's type detection, it looks only at the start.
/// </summary>
internal static class MessageSniffer
{
    // A header block longer than this is not looked at further; ClamAV reads a similar first block for type detection.
    private const int MaxProbeBytes = 64 * 1024;

    // Longest header field name worth considering; real ones are well under 80.
    private const int MaxNameBytes = 76;

    private static readonly HashSet<string> KnownNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "To", "Cc", "Subject", "Date", "Received", "Return-Path", "Content-Type", "MIME-Version",
        "Message-ID", "Delivered-To", "Reply-To", "Sender", "Content-Transfer-Encoding", "DKIM-Signature",
        "Authentication-Results", "X-Mailer", "References", "In-Reply-To", "List-Id", "Content-Disposition",
    };

    public static bool LooksLikeMessage(ReadOnlySpan<byte> data)
    {
        var probe = data.Length > MaxProbeBytes ? data[..MaxProbeBytes] : data;
        var at = probe.StartsWith("From "u8) ? NextLine(probe, 0) : 0;
        var known = 0;
        var lines = 0;
        while (at < probe.Length)
        {
            var next = NextLine(probe, at);
            var line = probe[at..next].TrimEnd("\r\n"u8);
            if (line.IsEmpty)
            {
                return known > 0;
            }

            if (line[0] is (byte)' ' or (byte)'\t')
            {
                if (lines == 0)
                {
                    return false;
                }
            }
            else if (HeaderName(line) is { } name)
            {
                known += KnownNames.Contains(name) ? 1 : 0;
            }
            else
            {
                return false;
            }

            lines++;
            at = next;
        }

        // Headers only, or a header block longer than the probe: a message if it already showed enough headers.
        return known > (probe.Length < data.Length ? 1 : 0);
    }

    private static int NextLine(ReadOnlySpan<byte> data, int at)
    {
        var lf = data[at..].IndexOf((byte)'\n');
        return lf < 0 ? data.Length : at + lf + 1;
    }

    /// <summary>RFC 5322 field name: printable ASCII but colon, then optional blanks (obs-syntax), then a colon.</summary>
    private static string? HeaderName(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || colon > MaxNameBytes)
        {
            return null;
        }

        var name = line[..colon].TrimEnd(" \t"u8);
        if (name.IsEmpty || name.IndexOfAnyExceptInRange((byte)33, (byte)126) >= 0)
        {
            return null;
        }

        return Encoding.ASCII.GetString(name);
    }
}
