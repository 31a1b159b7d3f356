using System.Buffers;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// How often each logical subsignature matched in one scan, as (subsignature, count) pairs. Starts on a caller's
/// stack buffer and rents only when more distinct subsignatures match than that, which clean items never do.
/// </summary>
internal ref struct HitCounter
{
    private Span<int> _ids;
    private Span<int> _counts;
    private int[]? _rented;

    public HitCounter(Span<int> initial)
    {
        _ids = initial[..(initial.Length / 2)];
        _counts = initial[(initial.Length / 2)..];
        _rented = null;
        Count = 0;
    }

    public int Count { get; private set; }

    public readonly ReadOnlySpan<int> Ids => _ids[..Count];

    public readonly ReadOnlySpan<int> Counts => _counts[..Count];

    public void Add(int subsignature)
    {
        var at = _ids[..Count].IndexOf(subsignature);
        if (at >= 0)
        {
            _counts[at]++;
            return;
        }

        if (Count == _ids.Length)
        {
            Grow();
        }

        _ids[Count] = subsignature;
        _counts[Count++] = 1;
    }

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<int>.Shared.Return(_rented);
            _rented = null;
        }
    }

    private void Grow()
    {
        var capacity = Math.Max(8, _ids.Length * 2);
        var larger = ArrayPool<int>.Shared.Rent(capacity * 2);
        _ids[..Count].CopyTo(larger);
        _counts[..Count].CopyTo(larger.AsSpan(capacity));
        if (_rented is not null)
        {
            ArrayPool<int>.Shared.Return(_rented);
        }

        _rented = larger;
        _ids = larger.AsSpan(0, capacity);
        _counts = larger.AsSpan(capacity, capacity);
    }
}
