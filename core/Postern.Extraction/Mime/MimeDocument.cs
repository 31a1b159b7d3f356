using System.Text;
using MimeKit;
using MimeKit.IO;
using Postern.Extraction.Buffers;

namespace Postern.Extraction.Mime;

/// <summary>
/// One MimeKit parse of a byte range, with the byte offsets of every entity, so that bodies, preambles and raw
/// transfer-encoded contents are read as slices of the original buffer instead of copies. MimeKit parses in persistent
/// mode: part contents stay bound to our stream.
/// </summary>
internal sealed class MimeDocument
{
    private readonly Dictionary<MimeEntity, EntityOffsets> _offsets = new(ReferenceEqualityComparer.Instance);

    private MimeDocument(ReadOnlyMemory<byte> source)
    {
        Source = source;
    }

    public ReadOnlyMemory<byte> Source { get; }

    public MimeMessage? Message { get; private set; }

    public MimeEntity? Entity { get; private set; }

    /// <summary>Parses a message; on failure returns the reason instead (MimeKit has thrown on fuzzed input before,
    /// jstedfast/MimeKit#1227).</summary>
    public static (MimeDocument? Document, string? Failure) Parse(ReadOnlyMemory<byte> source, ScanLimits limits,
        bool asEntity, CancellationToken token)
    {
        var document = new MimeDocument(source);
        using var stream = MemoryStreams.Open(source);
        var parser = new MimeParser(Options(limits), stream, persistent: true);
        parser.MimeEntityBegin += (_, e) => document._offsets[e.Entity] = new EntityOffsets(e.BeginOffset, 0, 0);
        parser.MimeEntityEnd += (_, e) =>
        {
            var begin = document._offsets.TryGetValue(e.Entity, out var known) ? known.Begin : 0;
            document._offsets[e.Entity] = new EntityOffsets(begin, e.HeadersEndOffset, e.EndOffset);
        };
        try
        {
            if (asEntity)
            {
                document.Entity = parser.ParseEntity(token);
            }
            else
            {
                document.Message = parser.ParseMessage(token);
                document.Entity = document.Message.Body;
            }

            return (document, null);
        }
        catch (Exception ex) when (DecoderFailure.IsDecoderFault(ex, token))
        {
            // Parser boundary: whatever MimeKit throws on hostile input is a verdict about the input.
            return (null, DecoderFailure.Describe(ex));
        }
    }

    public EntityOffsets OffsetsOf(MimeEntity entity) =>
        _offsets.TryGetValue(entity, out var offsets) ? offsets : new EntityOffsets(0, 0, Source.Length);

    /// <summary>The entity's body as it stands in the source: everything after its header block.</summary>
    public ReadOnlyMemory<byte> Body(MimeEntity entity) => Source[BodyRange(entity)];

    /// <summary>Where <see cref="Body"/> lies in <see cref="Source"/>.</summary>
    public Range BodyRange(MimeEntity entity) => Bounds(OffsetsOf(entity).HeadersEnd, OffsetsOf(entity).End);

    public ReadOnlyMemory<byte> Slice(long start, long end) => Source[Bounds(start, end)];

    /// <summary>The still transfer-encoded content of a leaf: MimeKit's exact bounds when it kept them, else the body.</summary>
    public ReadOnlyMemory<byte> EncodedContent(MimePart part) => Source[EncodedRange(part)];

    /// <summary>Where <see cref="EncodedContent"/> lies in <see cref="Source"/>.</summary>
    public Range EncodedRange(MimePart part) => part.Content?.Stream is BoundStream bound
        ? Bounds(bound.StartBoundary, bound.EndBoundary)
        : BodyRange(part);

    private Range Bounds(long start, long end)
    {
        var from = (int)Math.Clamp(start, 0, Source.Length);
        return from..(int)Math.Clamp(end, from, Source.Length);
    }

    private static ParserOptions Options(ScanLimits limits) => new()
    {
        // Loose everywhere: a scanner must read what lenient clients read, not reject what strict parsers reject.
        AddressParserComplianceMode = RfcComplianceMode.Loose,
        ParameterComplianceMode = RfcComplianceMode.Loose,
        Rfc2047ComplianceMode = RfcComplianceMode.Loose,
        AllowAddressesWithoutDomain = true,
        AllowUnquotedCommasInAddresses = true,
        // Bounds MimeKit's recursion; deeper multiparts come back as leaves and are reported.
        MaxMimeDepth = limits.MaxMimeNesting,
        // Content-Length is the sender's claim; boundaries are what clients follow.
        RespectContentLength = false,
        // Undeclared 8-bit header text (raw UTF-8 filenames) is most often UTF-8.
        CharsetEncoding = Encoding.UTF8,
    };
}
