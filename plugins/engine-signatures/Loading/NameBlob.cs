using System.Runtime.InteropServices;
using System.Text;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>
/// Signature names as they are read, in order: their UTF-8 bytes one after another and where each ends, instead
/// of a string per name. Shared by the parsed stores (<see cref="BodyStore"/>, <see cref="HashStore"/>), which hold
/// hundreds of thousands of names in a large load. Not thread-safe.
/// </summary>
internal sealed class NameBlob
{
    private readonly List<byte> _bytes = [];
    private readonly List<int> _starts = [0];

    public int Count => _starts.Count - 1;

    public ReadOnlySpan<byte> Utf8(int index) => CollectionsMarshal.AsSpan(_bytes)[_starts[index].._starts[index + 1]];

    public string this[int index] => Encoding.UTF8.GetString(Utf8(index));

    public void Add(ReadOnlySpan<char> name)
    {
        var start = _bytes.Count;
        CollectionsMarshal.SetCount(_bytes, start + Encoding.UTF8.GetByteCount(name));
        Encoding.UTF8.GetBytes(name, CollectionsMarshal.AsSpan(_bytes)[start..]);
        _starts.Add(_bytes.Count);
    }

    public void Add(ReadOnlySpan<byte> utf8)
    {
        _bytes.AddRange(utf8);
        _starts.Add(_bytes.Count);
    }

    /// <summary>
    /// The indices of the names <paramref name="drop"/> does not accept, in order; null when it accepts none, so that
    /// a store with nothing to remove copies nothing. <paramref name="drop"/> sees each name once.
    /// </summary>
    public List<int>? Keeping(Func<string, bool> drop)
    {
        List<int>? kept = null;
        for (var i = 0; i < Count; i++)
        {
            if (drop(this[i]))
            {
                kept ??= [.. Enumerable.Range(0, i)];
            }
            else
            {
                kept?.Add(i);
            }
        }

        return kept;
    }

    /// <summary>Empties the blob and lets its memory go.</summary>
    public void Clear()
    {
        _bytes.Clear();
        _bytes.TrimExcess();
        _starts.Clear();
        _starts.TrimExcess();
        _starts.Add(0);
    }
}
