using System.Security.Cryptography;
using Postern.Plugins.Engine.Signatures.Loading;
using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// Whole-item hash signatures by digest kind. A digest is computed only when some signature of that kind has the
/// item's size (or a <c>*</c> size), so most items cost no hashing at all.
/// </summary>
internal sealed class HashIndex
{
    private const int LargestDigest = 32;

    private readonly HashTable[] _tables;

    public HashIndex(HashStore signatures, int[] nameIds)
    {
        var tables = new List<HashTable>();
        foreach (var kind in Enum.GetValues<HashKind>())
        {
            var ofKind = new List<int>();
            for (var i = 0; i < signatures.Count; i++)
            {
                if (signatures.Kind(i) == kind)
                {
                    ofKind.Add(i);
                }
            }

            if (ofKind.Count > 0)
            {
                tables.Add(new HashTable(kind, signatures, [.. ofKind], nameIds));
            }
        }

        _tables = [.. tables];
    }

    public void Scan(ReadOnlySpan<byte> data, ref NameSet found)
    {
        Span<byte> digest = stackalloc byte[LargestDigest];
        foreach (var table in _tables)
        {
            if (!table.Wants(data.Length))
            {
                continue;
            }

            var written = table.Kind switch
            {
                HashKind.Md5 => MD5.HashData(data, digest),
                HashKind.Sha1 => SHA1.HashData(data, digest),
                _ => SHA256.HashData(data, digest),
            };
            table.Collect(data.Length, digest[..written], ref found);
        }
    }
}
