using System.Text;
using MimeKit.Utils;

namespace Postern.Extraction.Mime;

/// <summary>
/// Builds a multipart entity from a body and a boundary of our choosing, for the readings MimeKit's single parse did
/// not take (another boundary parameter, a transfer encoding on a multipart). One copy of the body, only for those.
/// </summary>
internal static class SyntheticMultipart
{
    public static byte[] Build(string mediaType, string boundary, ReadOnlySpan<byte> body)
    {
        var header = Encoding.UTF8.GetBytes(
            $"Content-Type: {mediaType}; boundary={MimeUtils.Quote(boundary)}\r\n\r\n");
        var bytes = new byte[header.Length + body.Length];
        header.CopyTo(bytes, 0);
        body.CopyTo(bytes.AsSpan(header.Length));
        return bytes;
    }

    /// <summary>Whether "--boundary" starts a line of <paramref name="body"/>: only then is the reading worth taking.</summary>
    public static bool Splits(ReadOnlySpan<byte> body, string boundary)
    {
        var marker = Encoding.UTF8.GetBytes("--" + boundary);
        var at = body.IndexOf(marker);
        while (at >= 0)
        {
            if (at == 0 || body[at - 1] == '\n')
            {
                return true;
            }

            var next = body[(at + 1)..].IndexOf(marker);
            at = next < 0 ? -1 : at + 1 + next;
        }

        return false;
    }
}
