using MimeKit;

namespace Postern.Extraction.Mime;

/// <summary>
/// Every boundary a client could pick for an entity: each "boundary=" parameter of each Content-Type header, quoted or
/// not. Parsers disagree on duplicates (ClamAV now takes the last, others the first), so a scanner tries all of them.
/// </summary>
internal static class BoundaryParameters
{
    // RFC 2046: at most 70 characters; a little slack for sloppy senders.
    private const int MaxBoundaryChars = 100;

    public static List<string> All(MimeEntity entity)
    {
        var found = new List<string>();
        foreach (var header in entity.Headers)
        {
            if (header.Id == HeaderId.ContentType)
            {
                Collect(header.Value, found);
            }
        }

        return found;
    }

    private static void Collect(string value, List<string> found)
    {
        var at = 0;
        while ((at = value.IndexOf("boundary", at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            at += "boundary".Length;
            var rest = value.AsSpan(at).TrimStart(" \t");
            if (rest.IsEmpty || rest[0] != '=')
            {
                continue;
            }

            var boundary = Value(rest[1..].TrimStart(" \t"));
            if (boundary.Length is > 0 and <= MaxBoundaryChars && !found.Contains(boundary))
            {
                found.Add(boundary);
            }
        }
    }

    private static string Value(ReadOnlySpan<char> rest)
    {
        if (!rest.IsEmpty && rest[0] == '"')
        {
            var close = rest[1..].IndexOf('"');
            return (close < 0 ? rest[1..] : rest[1..(close + 1)]).ToString();
        }

        var end = rest.IndexOfAny("; \t\r\n");
        return (end < 0 ? rest : rest[..end]).ToString();
    }
}
