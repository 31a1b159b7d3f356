namespace Postern.Core.Configuration;

/// <summary>A parsed <c>postern.conf</c>: its sections in file order, and what was wrong with it.</summary>
public sealed record ConfigFile(string Path, IReadOnlyList<ConfigSection> Sections, IReadOnlyList<ConfigDiagnostic> Diagnostics)
{
    /// <summary>The configuration used when no file is given: every setting at its built-in default.</summary>
    public static ConfigFile Empty { get; } = new("(embedded defaults)", [], []);

    public bool HasErrors => Diagnostics.Any(d => d.Severity == ConfigSeverity.Error);

    /// <summary>The merged entries of every section with this name (case-insensitive); empty when there is none.</summary>
    public IReadOnlyDictionary<string, string> Section(string name)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in Sections)
        {
            if (string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                foreach (var e in s.Entries)
                {
                    d[e.Name] = e.Value;
                }
            }
        }

        return d;
    }

    /// <summary>The global section's settings.</summary>
    public IReadOnlyDictionary<string, string> Global => Section("global");
}
