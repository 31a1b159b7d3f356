using MimeKit;
using Postern.Core.Cleaning;

namespace Postern.Core.Marking;

/// <summary>Appends a text/plain notice to a message: as the last part of a multipart/mixed body, else by wrapping
/// the body and the notice in a new multipart/mixed. Existing parts are written back as parsed.</summary>
internal static class BodyNotice
{
    public static ReadOnlyMemory<byte> Append(ReadOnlyMemory<byte> message, string text)
    {
        var parsed = MimeIo.Load(message);
        var notice = new TextPart("plain") { Text = text + "\n" };
        notice.ContentTransferEncoding = ContentEncoding.QuotedPrintable;
        if (parsed.Body is Multipart { ContentType.MediaSubtype: var sub } mixed && sub.Equals("mixed", StringComparison.OrdinalIgnoreCase))
        {
            mixed.Add(notice);
        }
        else
        {
            var wrapper = new Multipart("mixed");
            if (parsed.Body is not null)
            {
                wrapper.Add(parsed.Body);
            }

            wrapper.Add(notice);
            parsed.Body = wrapper;
        }

        return MimeIo.Write(parsed, message);
    }
}
