using System.Text;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>Numbers distinct signature names in the order they are first seen; used while a database compiles.</summary>
internal sealed class NameTable
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<byte> _blob = [];
    private readonly List<int> _starts = [0];

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
