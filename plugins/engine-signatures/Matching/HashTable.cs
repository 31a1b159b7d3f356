using Postern.Plugins.Engine.Signatures.Loading;
using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// The hash signatures of one digest kind, sorted by (size, digest) in flat arrays: compact, and a lookup is two
/// binary searches. A <c>*</c> size sorts first as -1.
/// </summary>
internal sealed class HashTable
{
    private readonly long[] _sizes;
    private readonly byte[] _digests;
    private readonly int[] _nameIds;
    private readonly int _digestLength;
    private readonly bool _hasAnySize;

    /// <param name="kind">The digest kind of every signature in <paramref name="members"/>.</param>
    /// <param name="store">The parsed signatures.</param>
    /// <param name="members">The indexes in <paramref name="store"/> of this kind's signatures; sorted in place.</param>
    /// <param name="nameIds">Name id by index in <paramref name="store"/>.</param>
    public HashTable(HashKind kind, HashStore store, int[] members, int[] nameIds)
    {
        Kind = kind;
        _digestLength = kind switch { HashKind.Md5 => 16, HashKind.Sha1 => 20, _ => 32 };
        Array.Sort(members, (a, b) => store.Size(a) != store.Size(b)
            ? store.Size(a).CompareTo(store.Size(b))
            : store.Digest(a).SequenceCompareTo(store.Digest(b)));
        _sizes = new long[members.Length];
        _digests = new byte[members.Length * _digestLength];
        _nameIds = new int[members.Length];
        for (var i = 0; i < members.Length; i++)
        {
            _sizes[i] = store.Size(members[i]);
            store.Digest(members[i]).CopyTo(_digests.AsSpan(i * _digestLength));
            _nameIds[i] = nameIds[members[i]];
        }

        _hasAnySize = _sizes.Length > 0 && _sizes[0] == HashSignature.AnySize;
    }

    public HashKind Kind { get; }

    public int Count => _sizes.Length;

    /// <summary>Whether an item of this size can match at all, so that its digest is worth computing.</summary>
    public bool Wants(long size) => _hasAnySize || Array.BinarySearch(_sizes, size) >= 0;

    public void Collect(long size, scoped ReadOnlySpan<byte> digest, ref NameSet found)
    {
        if (_hasAnySize)
        {
            CollectExact(HashSignature.AnySize, digest, ref found);
        }

        CollectExact(size, digest, ref found);
    }

    private void CollectExact(long size, scoped ReadOnlySpan<byte> digest, ref NameSet found)
    {
        int low = 0, high = _sizes.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            var order = _sizes[mid] != size ? _sizes[mid].CompareTo(size) : Digest(mid).SequenceCompareTo(digest);
            if (order < 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        for (var i = low; i < _sizes.Length && _sizes[i] == size && Digest(i).SequenceEqual(digest); i++)
        {
            found.Add(_nameIds[i]);
        }
    }

    private ReadOnlySpan<byte> Digest(int index) => _digests.AsSpan(index * _digestLength, _digestLength);
}
