namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>Numbers distinct signature names in the order they are first seen.</summary>
internal sealed class NameTable
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    public int Intern(string name)
    {
        if (!_ids.TryGetValue(name, out var id))
        {
            id = _names.Count;
            _ids.Add(name, id);
            _names.Add(name);
        }

        return id;
    }

    public string[] ToArray() => [.. _names];
}
