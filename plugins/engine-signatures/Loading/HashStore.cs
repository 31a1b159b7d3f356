using System.Runtime.InteropServices;
using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>
/// Hash signatures as they are read, in flat arrays instead of one object per line: the kind, the size, the digest
/// bytes and the name's UTF-8 bytes of each, in file and line order. 500,000 lines as <see cref="HashSignature"/>
/// records with their strings and digest arrays took about 85 MiB of small objects at the load peak; here they take
/// about 35. Not thread-safe; one loader fills it, then the compiler reads it.
/// </summary>
internal sealed class HashStore
{
    private List<byte> _kinds = [];
    private List<long> _sizes = [];
    private List<byte> _digests = [];
    private List<int> _digestStarts = [0];
    private NameBlob _names = new();

    public int Count => _kinds.Count;

    public HashKind Kind(int index) => (HashKind)_kinds[index];

    public long Size(int index) => _sizes[index];

    public ReadOnlySpan<byte> Digest(int index) =>
        CollectionsMarshal.AsSpan(_digests)[_digestStarts[index].._digestStarts[index + 1]];

    public ReadOnlySpan<byte> NameUtf8(int index) => _names.Utf8(index);

    public string Name(int index) => _names[index];

    public void Add(HashKind kind, ReadOnlySpan<byte> digest, long size, ReadOnlySpan<char> name)
    {
        AddEntry(kind, digest, size);
        _names.Add(name);
    }

    public void Add(HashSignature signature) => Add(signature.Kind, signature.Digest, signature.Size, signature.Name);

    /// <summary>Drops the signatures whose name <paramref name="drop"/> accepts, keeping the order of the rest.</summary>
    /// <returns>How many were dropped.</returns>
    public int RemoveWhere(Func<string, bool> drop)
    {
        if (_names.Keeping(drop) is not { } keep)
        {
            return 0;
        }

        // The kept entries are copied once, into lists that then replace these.
        var kept = new HashStore();
        foreach (var i in keep)
        {
            kept.AddEntry(Kind(i), Digest(i), Size(i));
            kept._names.Add(NameUtf8(i));
        }

        var removed = Count - kept.Count;
        (_kinds, _sizes, _digests, _digestStarts, _names) = (kept._kinds, kept._sizes, kept._digests, kept._digestStarts, kept._names);
        return removed;
    }

    /// <summary>Lets the arrays go once the compiled tables hold what they need.</summary>
    public void Clear()
    {
        _names.Clear();
        foreach (var list in new List<byte>[] { _kinds, _digests })
        {
            list.Clear();
            list.TrimExcess();
        }

        _sizes.Clear();
        _sizes.TrimExcess();
        _digestStarts.Clear();
        _digestStarts.Add(0);
        _digestStarts.TrimExcess();
    }

    private void AddEntry(HashKind kind, ReadOnlySpan<byte> digest, long size)
    {
        _kinds.Add((byte)kind);
        _sizes.Add(size);
        _digests.AddRange(digest);
        _digestStarts.Add(_digests.Count);
    }
}
