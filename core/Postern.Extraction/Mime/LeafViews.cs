using System.Buffers.Text;
using MimeKit;
using Postern.Sdk.Scanning;

namespace Postern.Extraction.Mime;

/// <summary>
/// The readings of one leaf: as declared, with each other declared transfer encoding, as base64 when it clearly is,
/// and base64 stopping at the first '=' when junk makes readers disagree. See <see cref="MessageExpander"/>.
/// </summary>
internal sealed class LeafViews(WalkSession session, MimeDocument document, int depth)
{
    public IEnumerable<ScanItem> Views(MimeEntity entity, string path)
    {
        var encoded = entity is MimePart leaf ? document.EncodedContent(leaf) : document.Body(entity);
        var type = entity.ContentType.MimeType;
        Note(entity, path);
        var hint = entity.ContentType.IsMimeType("message", "rfc822") || entity.ContentType.IsMimeType("message", "global")
            ? ContentHint.Message
            : ContentHint.Unknown;
        var fileName = (entity as MimePart)?.FileName ?? entity.ContentDisposition?.FileName;
        foreach (var (suffix, encoding, reading) in Readings(entity, encoded.Span))
        {
            using var decoded = TransferDecoder.Decode(encoded, encoding, reading,
                Math.Min(session.Limits.MaxItemBytes, session.Context.RemainingBytes));
            if (decoded.Reason is not null)
            {
                session.Context.AddReason(path + suffix, decoded.Reason);
            }

            session.Context.ChargeBytes(decoded.Content.Length);
            var item = new ScanItem(path + suffix, decoded.Content, ScanItemKind.MimePart, depth, fileName, type);
            foreach (var descendant in session.Emit(item, hint))
            {
                yield return descendant;
            }
        }
    }

    private static List<(string Suffix, ContentEncoding Encoding, BodyReading Reading)> Readings(
        MimeEntity entity, ReadOnlySpan<byte> encoded)
    {
        var declared = ContentEncodings.Declared(entity);
        var primary = (entity as MimePart)?.ContentTransferEncoding ?? declared.FirstOrDefault();
        var readings = new List<(string, ContentEncoding, BodyReading)> { ("", primary, BodyReading.Declared) };
        foreach (var other in declared.Where(e => e != primary))
        {
            readings.Add(("~cte=" + ContentEncodings.Name(other), other, BodyReading.Declared));
        }

        var base64Declared = primary == ContentEncoding.Base64 || declared.Contains(ContentEncoding.Base64);
        if (base64Declared && LenientBase64.HasDataAfterPadding(encoded) && !Base64.IsValid(encoded))
        {
            readings.Add(("~base64-stop", ContentEncoding.Base64, BodyReading.Base64StopAtPadding));
        }
        else if (!base64Declared && Base64Sniffer.LooksLikeBase64(encoded))
        {
            readings.Add(("~base64", ContentEncoding.Base64, BodyReading.LenientBase64));
        }

        return readings;
    }

    private void Note(MimeEntity entity, string path)
    {
        if (entity is MessagePartial partial)
        {
            session.Context.AddReason(path, $"message/partial {partial.Number}/{partial.Total} not reassembled");
        }
        else if (entity.ContentType.IsMimeType("multipart", "*"))
        {
            session.Context.AddReason(path, "MIME nesting limit (multipart read as one part)");
        }
    }
}
