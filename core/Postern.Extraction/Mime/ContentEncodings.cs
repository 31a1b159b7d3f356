using MimeKit;
using MimeKit.Utils;

namespace Postern.Extraction.Mime;

/// <summary>The Content-Transfer-Encoding values an entity declares, duplicates included.</summary>
internal static class ContentEncodings
{
    public static List<ContentEncoding> Declared(MimeEntity entity)
    {
        var found = new List<ContentEncoding>();
        foreach (var header in entity.Headers)
        {
            if (header.Id == HeaderId.ContentTransferEncoding
                && MimeUtils.TryParse(header.Value, out ContentEncoding encoding) && !found.Contains(encoding))
            {
                found.Add(encoding);
            }
        }

        return found;
    }

    public static bool Transforms(ContentEncoding encoding) =>
        encoding is ContentEncoding.Base64 or ContentEncoding.QuotedPrintable or ContentEncoding.UUEncode;

    public static string Name(ContentEncoding encoding) => encoding switch
    {
        ContentEncoding.Base64 => "base64",
        ContentEncoding.QuotedPrintable => "quoted-printable",
        ContentEncoding.UUEncode => "x-uuencode",
        ContentEncoding.EightBit => "8bit",
        ContentEncoding.SevenBit => "7bit",
        ContentEncoding.Binary => "binary",
        _ => "default",
    };
}
