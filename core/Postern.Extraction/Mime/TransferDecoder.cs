using System.Buffers;
using System.Buffers.Text;
using MimeKit;
using MimeKit.Encodings;
using Postern.Extraction.Buffers;

namespace Postern.Extraction.Mime;

/// <summary>
/// Decodes a Content-Transfer-Encoding. Every decoder here shrinks its input, so memory is bounded by the message; the
/// result is then cut to the item and scan allowances.
/// </summary>
internal static class TransferDecoder
{
    public static DecodedBody Decode(ReadOnlyMemory<byte> encoded, ContentEncoding encoding, BodyReading reading, long cap)
    {
        if (reading == BodyReading.Declared && encoding is not (ContentEncoding.Base64 or ContentEncoding.QuotedPrintable
            or ContentEncoding.UUEncode))
        {
            return encoded.Length > cap
                ? new DecodedBody(null, encoded[..(int)cap], "size limit")
                : new DecodedBody(null, encoded, null);
        }

        var input = MemoryStreams.Segment(encoded);
        // QP and uuencode never grow; MimeKit's estimate adds its own slack, which we honour.
        // Base64 (strict or lenient) writes at most 3 bytes per 4 characters, whatever junk or padding is in between.
        var estimate = reading != BodyReading.Declared || encoding == ContentEncoding.Base64
            ? (encoded.Length / 4 * 3) + 3
            : encoding == ContentEncoding.QuotedPrintable
                ? Math.Max(encoded.Length + 4, new QuotedPrintableDecoder().EstimateOutputLength(encoded.Length))
                : Math.Max(encoded.Length + 4, new UUDecoder().EstimateOutputLength(encoded.Length));
        var buffer = new PooledBuffer(estimate);
        buffer.Length = Run(input, encoding, reading, buffer.Array);
        string? reason = null;
        if (buffer.Length > cap)
        {
            buffer.Length = (int)cap;
            reason = "size limit";
        }

        return new DecodedBody(buffer, buffer.Memory, reason);
    }

    private static int Run(ArraySegment<byte> input, ContentEncoding encoding, BodyReading reading, byte[] output)
    {
        if (reading != BodyReading.Declared)
        {
            return LenientBase64.Decode(input, output, reading == BodyReading.Base64StopAtPadding);
        }

        if (encoding == ContentEncoding.Base64)
        {
            // Valid base64 (whitespace allowed) takes the vectorised BCL path; anything else the lenient one.
            var status = Base64.DecodeFromUtf8(input, output, out _, out var written);
            return status == OperationStatus.Done ? written : LenientBase64.Decode(input, output, stopAtPadding: false);
        }

        IMimeDecoder decoder = encoding == ContentEncoding.QuotedPrintable ? new QuotedPrintableDecoder() : new UUDecoder();
        return decoder.Decode(input.Array!, input.Offset, input.Count, output);
    }
}
