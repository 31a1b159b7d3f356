using System.Buffers;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// The distinct name ids found in one scan: starts on a caller's stack buffer and rents from the shared pool
/// only when an item matches more names than that, so a scan allocates nothing until it has findings to return.
/// </summary>
internal ref struct NameSet
{
    private Span<int> _items;
    private int[]? _rented;

    public NameSet(Span<int> initial)
    {
        _items = initial;
        _rented = null;
        Count = 0;
    }

    public int Count { get; private set; }

    public readonly ReadOnlySpan<int> Items => _items[..Count];

    public readonly bool Contains(int id) => _items[..Count].Contains(id);

    public void Add(int id)
    {
        if (Contains(id))
        {
            return;
        }

        if (Count == _items.Length)
        {
            var larger = ArrayPool<int>.Shared.Rent(_items.Length * 2);
            _items.CopyTo(larger);
            if (_rented is not null)
            {
                ArrayPool<int>.Shared.Return(_rented);
            }

            _rented = larger;
            _items = larger;
        }

        _items[Count++] = id;
    }

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<int>.Shared.Return(_rented);
            _rented = null;
        }
    }
}
