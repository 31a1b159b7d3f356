using System.Text;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>Numbers distinct signature names in the order they are first seen; used while a database compiles.</summary>
internal sealed class NameTable
{
    /// <summary>Bytes reserved per name up front; gen_corpus and ClamAV names average 15 to 30.</summary>
    private const int ExpectedNameLength = 24;

    private readonly Dictionary<string, int> _ids;
    private readonly List<byte> _blob;
    private readonly List<int> _starts;

    /// <summary>Sized for <paramref name="capacity"/> names so that a large load does not grow by copying.</summary>
    public NameTable(int capacity)
    {
        _ids = new Dictionary<string, int>(capacity, StringComparer.Ordinal);
        _blob = new List<byte>(capacity * ExpectedNameLength);
        _starts = new List<int>(capacity + 1) { 0 };
    }

    public int Intern(string name)
    {
        if (!_ids.TryGetValue(name, out var id))
        {
            id = _starts.Count - 1;
            _ids.Add(name, id);
            var bytes = Encoding.UTF8.GetBytes(name);
            _blob.AddRange(bytes);
            _starts.Add(_blob.Count);
        }

        return id;
    }

    public NameList ToList() => new([.. _blob], [.. _starts]);
}
