using System.Runtime.InteropServices;
using Postern.Plugins.Engine.Signatures.Matching;
using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>
/// Body signatures as they are read, in flat lists instead of objects: each signature's name (UTF-8, in one blob),
/// offset rule and run of blocks, and the blocks themselves in the layout of the compiled <see cref="PatternStore"/>
/// (values, then masks unless the block is all plain bytes; its alternative groups; the gap after it). An
/// <c>.ndb</c> line used to become six objects (the record, its name, pattern, block array, block and values),
/// 1.2 million of them for 200,000 signatures, which the collector copied and marked again and again while the rest
/// of the database was read; here it becomes a few list entries, and compiling hands the lists over instead of copying
/// the objects into them. Not thread-safe; one loader fills it, then the compiler reads and empties it.
/// </summary>
internal sealed class BodyStore
{
    private List<SignatureOffset> _offsets = [];
    private List<int> _firstBlocks = [0];
    private NameBlob _names = new();
    private List<StoredBlock> _blocks = [];
    private List<Gap> _gaps = [];
    private List<byte> _bytes = [];
    private List<AlternativeGroup> _alternatives = [];

    public int Count => _offsets.Count;

    public SignatureOffset Offset(int index) => _offsets[index];

    /// <summary>The signature's blocks: the first one's index among all blocks (in the store and in the <see cref="PatternStore"/> it becomes) and how many.</summary>
    public (int First, int Count) BlockRange(int index) => (_firstBlocks[index], _firstBlocks[index + 1] - _firstBlocks[index]);

    public ReadOnlySpan<byte> NameUtf8(int index) => _names.Utf8(index);

    public string Name(int index) => _names[index];

    /// <summary>Adds the pattern <paramref name="parsed"/> holds under <paramref name="name"/>.</summary>
    public void Add(ReadOnlySpan<char> name, SignatureOffset offset, HexPatternParser parsed)
    {
        var blocks = parsed.Blocks;
        var gaps = parsed.Gaps;
        for (var b = 0; b < blocks.Length; b++)
        {
            var block = blocks[b];
            AddBlock(
                parsed.Values.Slice(block.Start, block.Length),
                block.IsStatic ? default : parsed.Masks.Slice(block.Start, block.Length),
                block.RunOffset,
                block.RunLength,
                parsed.Alternatives.Slice(block.FirstAlternative, block.AlternativeCount),
                b < gaps.Length ? gaps[b] : default);
        }

        Finish(name, offset);
    }

    /// <summary>Adds a signature parsed as objects: a logical subsignature or a built-in one.</summary>
    public void Add(BodySignature signature)
    {
        var pattern = signature.Pattern;
        for (var b = 0; b < pattern.Blocks.Length; b++)
        {
            var block = pattern.Blocks[b];
            AddBlock(block.Values, block.IsStatic ? default : block.Masks, block.LongestRunOffset, block.LongestRunLength,
                block.Alternatives, b < pattern.Gaps.Length ? pattern.Gaps[b] : default);
        }

        Finish(signature.Name, signature.Offset);
    }

    /// <summary>The signature as objects again; for tests and diagnosis, not for the load.</summary>
    public BodySignature Signature(int index)
    {
        var (first, count) = BlockRange(index);
        var blocks = new Block[count];
        var gaps = new Gap[count - 1];
        for (var b = 0; b < count; b++)
        {
            var block = _blocks[first + b];
            var values = CollectionsMarshal.AsSpan(_bytes).Slice(block.Values, block.Length);
            var masks = block.Masks < 0 ? PlainMasks.Of(block.Length) : CollectionsMarshal.AsSpan(_bytes).Slice(block.Masks, block.Length).ToArray();
            blocks[b] = new Block(values.ToArray(), masks,
                CollectionsMarshal.AsSpan(_alternatives).Slice(block.FirstAlternative, block.Alternatives).ToArray());
            if (b < count - 1)
            {
                gaps[b] = _gaps[first + b];
            }
        }

        return new BodySignature(Name(index), _offsets[index], new BodyPattern(blocks, gaps));
    }

    /// <summary>Drops the signatures whose name <paramref name="drop"/> accepts, keeping the order of the rest.</summary>
    /// <returns>How many were dropped.</returns>
    public int RemoveWhere(Func<string, bool> drop)
    {
        if (_names.Keeping(drop) is not { } keep)
        {
            return 0;
        }

        // The kept entries are copied once, into lists that then replace these.
        var kept = new BodyStore();
        foreach (var i in keep)
        {
            kept.CopyEntry(this, i);
        }

        var removed = Count - kept.Count;
        (_offsets, _firstBlocks, _names, _blocks, _gaps, _bytes, _alternatives) =
            (kept._offsets, kept._firstBlocks, kept._names, kept._blocks, kept._gaps, kept._bytes, kept._alternatives);
        return removed;
    }

    /// <summary>Hands the blocks over as a compiled pattern store (copied to exact-size arrays) and empties the lists.</summary>
    public PatternStore TakePatterns()
    {
        var store = new PatternStore([.. _bytes], [.. _blocks], [.. _gaps], [.. _alternatives]);
        Clear();
        return store;
    }

    /// <summary>Lets the lists go once the compiled tables hold what they need.</summary>
    public void Clear()
    {
        _offsets.Clear();
        _offsets.TrimExcess();
        _firstBlocks.Clear();
        _firstBlocks.TrimExcess();
        _firstBlocks.Add(0);
        _names.Clear();
        _blocks.Clear();
        _blocks.TrimExcess();
        _gaps.Clear();
        _gaps.TrimExcess();
        _bytes.Clear();
        _bytes.TrimExcess();
        _alternatives.Clear();
        _alternatives.TrimExcess();
    }

    private void CopyEntry(BodyStore from, int index)
    {
        var (first, count) = from.BlockRange(index);
        var bytes = CollectionsMarshal.AsSpan(from._bytes);
        for (var b = first; b < first + count; b++)
        {
            var block = from._blocks[b];
            AddBlock(bytes.Slice(block.Values, block.Length), block.Masks < 0 ? default : bytes.Slice(block.Masks, block.Length),
                block.RunOffset, block.RunLength,
                CollectionsMarshal.AsSpan(from._alternatives).Slice(block.FirstAlternative, block.Alternatives), from._gaps[b]);
        }

        _offsets.Add(from._offsets[index]);
        _names.Add(from.NameUtf8(index));
        _firstBlocks.Add(_blocks.Count);
    }

    /// <summary>Appends one block: its <paramref name="masks"/> are empty when it is all plain bytes.</summary>
    private void AddBlock(ReadOnlySpan<byte> values, ReadOnlySpan<byte> masks, int runOffset, int runLength,
        ReadOnlySpan<AlternativeGroup> alternatives, Gap gapAfter)
    {
        var valuesAt = Append(values);
        var masksAt = masks.IsEmpty ? -1 : Append(masks);
        _blocks.Add(new StoredBlock(valuesAt, masksAt, values.Length, runOffset, runLength, _alternatives.Count, alternatives.Length));
        _alternatives.AddRange(alternatives);
        _gaps.Add(gapAfter);
    }

    private int Append(ReadOnlySpan<byte> bytes)
    {
        var at = _bytes.Count;
        _bytes.AddRange(bytes);
        return at;
    }

    private void Finish(ReadOnlySpan<char> name, SignatureOffset offset)
    {
        _offsets.Add(offset);
        _names.Add(name);
        _firstBlocks.Add(_blocks.Count);
    }
}
