using System.IO.Compression;
using Postern.Extraction.Buffers;
using Postern.Sdk.Scanning;
using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.Xz;
using SharpCompress.Compressors.ZStandard;
using SharpCompressMode = SharpCompress.Compressors.CompressionMode;

namespace Postern.Extraction.Archives;

/// <summary>Single-stream decompressors (gzip, bzip2, xz, zstd): one <see cref="ScanItemKind.Decompressed"/> child.</summary>
internal sealed class StreamExpander(WalkSession session)
{
    public IEnumerable<ScanItem> Expand(ScanItem item, ContainerFormat format)
    {
        var read = Decompress(item, format);
        using var buffer = read.Buffer;
        if (read.Reason is not null)
        {
            session.Context.AddReason(item.Path, read.Reason);
        }

        var name = format == ContainerFormat.GZip ? GZipHeader.StoredName(item.Content.Span) : null;
        var child = new ScanItem(ItemPath.Child(item.Path, name is null ? Label(format) : ItemPath.Clean(name)),
            buffer.Memory, ScanItemKind.Decompressed, item.Depth + 1, name);
        foreach (var descendant in session.Emit(child, ContentHint.Unknown))
        {
            yield return descendant;
        }
    }

    private BoundedRead Decompress(ScanItem item, ContainerFormat format)
    {
        var guard = new RatioGuard(item.Content.Length, session.Limits);
        try
        {
            using var input = MemoryStreams.Open(item.Content);
            using var decoder = Open(input, format);
            return BoundedReader.Read(decoder, SizeHint(item.Content.Span, format), session.Context, session.Limits, guard);
        }
        catch (Exception ex) when (DecoderFailure.IsDecoderFault(ex, session.Context.CancellationToken))
        {
            // Decoder boundary: a header the decoder rejects while opening (bad xz flags, bad bzip2 block size).
            return new BoundedRead(new PooledBuffer(0), DecoderFailure.Describe(ex));
        }
    }

    // The output size to pre-size for. gzip ends with ISIZE (RFC 1952: the input size mod 2^32), exact for the usual
    // single member; it is only a hint (a lie costs a regrow or a spare buffer, and the pre-size is capped), but it
    // keeps the buffer at its real size class in the pool instead of four times the compressed size, which past the
    // pool's largest size was a fresh large-object-heap array per attachment.
    internal static long SizeHint(ReadOnlySpan<byte> compressed, ContainerFormat format)
    {
        var guess = compressed.Length * 4L;
        if (format != ContainerFormat.GZip || compressed.Length < 18)
        {
            return guess;
        }

        var isize = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(compressed[^4..]);
        return isize >= compressed.Length / 2 ? isize : guess;
    }

    private static Stream Open(Stream input, ContainerFormat format) => format switch
    {
        // The BCL's GZipStream runs native zlib and reads concatenated members, as gunzip does.
        ContainerFormat.GZip => new GZipStream(input, CompressionMode.Decompress, leaveOpen: true),
        ContainerFormat.BZip2 => BZip2Stream.Create(input, SharpCompressMode.Decompress,
            decompressConcatenated: true, leaveOpen: true, tolerateTruncatedStream: false),
        ContainerFormat.Xz => new XZStream(input),
        ContainerFormat.Zstd => new DecompressionStream(input),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    private static string Label(ContainerFormat format) => format switch
    {
        ContainerFormat.GZip => "(gunzip)",
        ContainerFormat.BZip2 => "(bunzip2)",
        ContainerFormat.Xz => "(unxz)",
        _ => "(unzstd)",
    };
}
