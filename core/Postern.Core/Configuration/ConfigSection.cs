namespace Postern.Core.Configuration;

/// <summary>One <c>[name]</c> section and its entries in file order. The name keeps its case
/// (special sections such as <c>[user@Example.org]</c> are matched case-insensitively later).</summary>
public sealed record ConfigSection(string Name, int Line, IReadOnlyList<ConfigEntry> Entries)
{
    /// <summary>The entries as a dictionary; when a name repeats, the last one wins, as in esets.cfg.</summary>
    public IReadOnlyDictionary<string, string> ToDictionary()
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in Entries)
        {
            d[e.Name] = e.Value;
        }

        return d;
    }
}
