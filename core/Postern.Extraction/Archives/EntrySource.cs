using System.IO.Compression;
using Postern.Extraction.Buffers;
using SharpCompress.Archives;
using SharpCompress.Common;
using SharpCompress.Readers;

namespace Postern.Extraction.Archives;

/// <summary>A zip held in memory and its central directory, read once by <see cref="ArchiveExpander"/>.</summary>
internal sealed record ZipData(ReadOnlyMemory<byte> Archive, List<ZipRecord> Directory);

/// <summary>
/// The entries of one archive, one at a time, with every SharpCompress exception turned into a reason. Solid archives
/// (7z, rar) are read sequentially, since opening their entries one by one would decompress the solid block again for
/// each entry, quadratic in the archive size. A zip's deflated and stored members are read straight from the
/// archive's bytes where SharpCompress's entry and the central-directory record in the same place agree (method, CRC,
/// both sizes), deflate through System.IO.Compression (zlib-ng): SharpCompress's managed inflate took three times
/// the CPU (about 3% of the daemon's samples in the milter benchmark). Anything else goes through SharpCompress.
/// </summary>
internal sealed class EntrySource : IDisposable
{
    private readonly IEnumerator<IArchiveEntry>? _entries;
    private readonly IReader? _reader;
    private readonly ZipData? _zip;
    private readonly CancellationToken _token;
    private int _index = -1;

    private EntrySource(IArchive? archive, IReader? reader, ZipData? zip, CancellationToken token)
    {
        _zip = zip;
        _token = token;
        if (reader is not null)
        {
            _reader = reader;
        }
        else if (archive!.IsSolid)
        {
            _reader = archive.ExtractAllEntries();
        }
        else
        {
            _entries = archive.Entries.GetEnumerator();
        }
    }

    public static EntrySource ForArchive(IArchive archive, ZipData? zip, CancellationToken token) => new(archive, null, zip, token);

    public static EntrySource ForReader(IReader reader, CancellationToken token) => new(null, reader, null, token);

    /// <summary>The next entry; null at the end, or with a reason when the archive breaks.</summary>
    public (IEntry? Entry, string? Reason) Next()
    {
        try
        {
            if (_reader is not null)
            {
                return _reader.MoveToNextEntry() ? (_reader.Entry, null) : (null, null);
            }

            _index++;
            return _entries!.MoveNext() ? (_entries.Current, null) : (null, null);
        }
        catch (Exception ex) when (DecoderFailure.IsDecoderFault(ex, _token))
        {
            // Decoder boundary: reading headers of a hostile archive.
            return (null, DecoderFailure.Describe(ex));
        }
    }

    /// <summary>Decompresses the current entry under the limits.</summary>
    public BoundedRead Read(IEntry entry, ExtractionContext context, ScanLimits limits, RatioGuard guard)
    {
        try
        {
            using var stream = _reader is not null ? _reader.OpenEntryStream() : Open((IArchiveEntry)entry);
            return BoundedReader.Read(stream, entry.Size, context, limits, guard);
        }
        catch (Exception ex) when (DecoderFailure.IsDecoderFault(ex, context.CancellationToken))
        {
            // Decoder boundary: opening an entry stream (unsupported method, bad header, password needed).
            return new BoundedRead(new PooledBuffer(0), DecoderFailure.Describe(ex));
        }
    }

    internal Stream Open(IArchiveEntry entry)
    {
        if (_zip is { } zip && !entry.IsEncrypted && _index < zip.Directory.Count && zip.Directory[_index] is var record
            && record.DataStart >= 0 && record.DataEnd <= zip.Archive.Length && (record.Flags & 1) == 0
            && record.CompressedSize == entry.CompressedSize && record.Size == entry.Size && record.Crc == entry.Crc)
        {
            var data = MemoryStreams.Open(zip.Archive.Slice((int)record.DataStart, (int)record.CompressedSize));
            if (record.Method == 8 && entry.CompressionType == CompressionType.Deflate)
            {
                return new DeflateStream(data, CompressionMode.Decompress);
            }

            if (record.Method == 0 && entry.CompressionType == CompressionType.None && record.CompressedSize == record.Size)
            {
                return data;
            }

            data.Dispose();
        }

        return entry.OpenEntryStream();
    }

    public void Dispose()
    {
        _entries?.Dispose();
        _reader?.Dispose();
    }
}
