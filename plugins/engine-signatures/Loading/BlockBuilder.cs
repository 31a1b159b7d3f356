using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>Collects the positions of one block while a hex signature is read.</summary>
internal sealed class BlockBuilder
{
    private readonly List<byte> _values = [];
    private readonly List<byte> _masks = [];
    private readonly List<AlternativeGroup> _alternatives = [];

    public int Length => _values.Count;

    public void Add(byte value, byte mask)
    {
        _values.Add((byte)(value & mask));
        _masks.Add(mask);
    }

    public void AddWildcards(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Add(0, 0);
        }
    }

    public void AddAlternatives(int width, byte[] options, bool negated)
    {
        _alternatives.Add(new AlternativeGroup(_values.Count, width, options, negated));
        AddWildcards(width);
    }

    public Block Build()
    {
        var block = new Block([.. _values], PlainMasks.Share(_masks), [.. _alternatives]);
        Clear();
        return block;
    }

    public void Clear()
    {
        _values.Clear();
        _masks.Clear();
        _alternatives.Clear();
    }
}
