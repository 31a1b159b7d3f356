using Postern.Extraction.Buffers;
using SharpCompress.Archives;
using SharpCompress.Common;
using SharpCompress.Readers;

namespace Postern.Extraction.Archives;

/// <summary>
/// The entries of one archive, one at a time, with every SharpCompress exception turned into a reason. Solid archives
/// (7z, rar) are read sequentially, since opening their entries one by one would decompress the solid block again for
/// each entry, quadratic in the archive size.
/// </summary>
internal sealed class EntrySource : IDisposable
{
    private readonly IEnumerator<IArchiveEntry>? _entries;
    private readonly IReader? _reader;
    private readonly CancellationToken _token;

    private EntrySource(IArchive? archive, IReader? reader, CancellationToken token)
    {
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

    public static EntrySource ForArchive(IArchive archive, CancellationToken token) => new(archive, null, token);

    public static EntrySource ForReader(IReader reader, CancellationToken token) => new(null, reader, token);

    /// <summary>The next entry; null at the end, or with a reason when the archive breaks.</summary>
    public (IEntry? Entry, string? Reason) Next()
    {
        try
        {
            if (_reader is not null)
            {
                return _reader.MoveToNextEntry() ? (_reader.Entry, null) : (null, null);
            }

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
            using var stream = _reader is not null ? _reader.OpenEntryStream() : ((IArchiveEntry)entry).OpenEntryStream();
            return BoundedReader.Read(stream, entry.Size, context, limits, guard);
        }
        catch (Exception ex) when (DecoderFailure.IsDecoderFault(ex, context.CancellationToken))
        {
            // Decoder boundary: opening an entry stream (unsupported method, bad header, password needed).
            return new BoundedRead(new PooledBuffer(0), DecoderFailure.Describe(ex));
        }
    }

    public void Dispose()
    {
        _entries?.Dispose();
        _reader?.Dispose();
    }
}
