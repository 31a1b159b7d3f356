using Postern.Plugins.Engine.Signatures.Loading;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// The hashes of <c>.fp</c> and <c>.sfp</c> files: an item whose hash is listed is clean whatever matched, as
/// ClamAV treats the whole file. Only consulted for an item that matched something, so clean items never pay.
/// </summary>
internal sealed class AllowList
{
    private const int Inline = 4;

    private readonly HashIndex _hashes;

    public AllowList(HashStore hashes)
    {
        _hashes = new HashIndex(hashes, new int[hashes.Count]);
        Count = hashes.Count;
    }

    public int Count { get; }

    public bool Allows(ReadOnlySpan<byte> data)
    {
        if (Count == 0)
        {
            return false;
        }

        var found = new NameSet(stackalloc int[Inline]);
        try
        {
            _hashes.Scan(data, ref found);
            return found.Count > 0;
        }
        finally
        {
            found.Dispose();
        }
    }
}
