using System.Text;

namespace Postern.Extraction;

/// <summary>
/// Builds item paths. Format (also documented on <see cref="ContentWalker"/>): segments joined by '/', one segment per
/// step into a container. The input is "". A MIME part is <c>part</c> + its IMAP-style number within its message
/// (<c>part2.1</c>), with the sender's filename in brackets when it has one (<c>part2[invoice.zip]</c>); an archive
/// member is its name inside the archive; a decompressed stream is <c>(gunzip)</c>, <c>(bunzip2)</c>, <c>(unxz)</c>,
/// <c>(unzstd)</c> or its stored name; inline blocks are <c>uuencode[name]</c>, <c>binhex[name]</c>, <c>yenc[name]</c>;
/// TNEF attachments are <c>tnef[name]</c>. Alternative readings of a malformed part carry a <c>~view</c> suffix
/// (<c>part2~cte=base64</c>, <c>part1~boundary=b2/part1</c>, <c>part1~lenient-base64</c>, <c>preamble</c>).
/// </summary>
internal static class ItemPath
{
    // Long enough for any sane archive member path; an attacker's 64 KiB name must not bloat every log line.
    private const int MaxSegmentChars = 200;

    public static string Child(string parent, string segment) =>
        parent.Length == 0 ? segment : parent + "/" + segment;

    public static string Named(string label, string? name) =>
        string.IsNullOrEmpty(name) ? label : label + "[" + Clean(name) + "]";

    /// <summary>Untrusted names lose control characters (log injection) and are cut to a sane length.</summary>
    public static string Clean(string name)
    {
        var builder = new StringBuilder(Math.Min(name.Length, MaxSegmentChars));
        foreach (var c in name)
        {
            if (builder.Length == MaxSegmentChars)
            {
                builder.Append("...");
                break;
            }

            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return builder.ToString();
    }
}
