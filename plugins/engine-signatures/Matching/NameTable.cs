using System.Runtime.InteropServices;
using System.Text;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// Numbers distinct signature names in the order they are first seen; used while a database compiles. Keyed by the
/// names' UTF-8 bytes in one blob through an open-addressing table of ids, so numbering 700,000 names makes no string
/// and no dictionary entry per name (a <c>Dictionary&lt;string, int&gt;</c> held about 50 MiB at the load peak).
/// </summary>
internal sealed class NameTable
{
    /// <summary>Bytes reserved per name up front; gen_corpus and ClamAV names average 15 to 30.</summary>
    private const int ExpectedNameLength = 24;

    private readonly List<byte> _blob;
    private readonly List<int> _starts;
    private int[] _slots; // id + 1, or 0 for empty; length a power of two, at most half full

    /// <summary>Sized for <paramref name="capacity"/> names so that a large load does not grow by copying.</summary>
    public NameTable(int capacity)
    {
        _blob = new List<byte>(capacity * ExpectedNameLength);
        _starts = new List<int>(capacity + 1) { 0 };
        _slots = new int[Math.Max(16, (int)Math.Min(1 << 30, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity * 2)))];
    }

    public int Count => _starts.Count - 1;

    public int Intern(string name)
    {
        var length = Encoding.UTF8.GetByteCount(name);
        if (length <= 256)
        {
            Span<byte> bytes = stackalloc byte[256];
            var written = Encoding.UTF8.GetBytes(name, bytes);
            return Intern(bytes[..written]);
        }

        return Intern(Encoding.UTF8.GetBytes(name));
    }

    public int Intern(ReadOnlySpan<byte> name)
    {
        var mask = _slots.Length - 1;
        var slot = Hash(name) & mask;
        while (_slots[slot] != 0)
        {
            var id = _slots[slot] - 1;
            if (Name(id).SequenceEqual(name))
            {
                return id;
            }

            slot = (slot + 1) & mask;
        }

        var newId = Count;
        _blob.AddRange(name);
        _starts.Add(_blob.Count);
        _slots[slot] = newId + 1;
        if (Count * 2 > _slots.Length)
        {
            Grow();
        }

        return newId;
    }

    public NameList ToList() => new([.. _blob], [.. _starts]);

    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = default(HashCode);
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }

    private ReadOnlySpan<byte> Name(int id) => CollectionsMarshal.AsSpan(_blob)[_starts[id].._starts[id + 1]];

    private void Grow()
    {
        _slots = new int[_slots.Length * 2];
        var mask = _slots.Length - 1;
        for (var id = 0; id < Count; id++)
        {
            var slot = Hash(Name(id)) & mask;
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            _slots[slot] = id + 1;
        }
    }
}
