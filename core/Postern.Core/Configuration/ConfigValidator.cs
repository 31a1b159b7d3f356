namespace Postern.Core.Configuration;

/// <summary>
/// Checks a parsed file against what is known: <c>[global]</c> settings by name and type, plugin sections by the
/// installed plugins' ids. Unknown global settings are errors (a typo there silently keeps a default); unknown
/// sections are warnings (the plugin may be installed later).
/// </summary>
public static class ConfigValidator
{
    public static IReadOnlyList<ConfigDiagnostic> Validate(ConfigFile file, IReadOnlyCollection<string> pluginIds)
    {
        var found = new List<ConfigDiagnostic>(file.Diagnostics);
        foreach (var section in file.Sections)
        {
            if (section.Name.Equals("global", StringComparison.OrdinalIgnoreCase))
            {
                CheckGlobal(file.Path, section, found);
            }
            else if (pluginIds.Contains(section.Name, StringComparer.OrdinalIgnoreCase))
            {
                CheckPlugin(file.Path, section, found);
            }
            else
            {
                found.Add(new ConfigDiagnostic(ConfigSeverity.Warning, file.Path, section.Line,
                    $"[{section.Name}]: no installed plugin has this id; its settings are not used"));
            }
        }

        return found;
    }

    private static void CheckGlobal(string path, ConfigSection section, List<ConfigDiagnostic> found)
    {
        foreach (var e in section.Entries)
        {
            var spec = GlobalSettings.Find(e.Name);
            var problem = spec is null ? Unknown(e.Name) : spec.Check(e.Value);
            if (problem is not null)
            {
                found.Add(new ConfigDiagnostic(ConfigSeverity.Error, path, e.Line, $"[global] {e.Name}: {problem}"));
            }
        }
    }

    private static void CheckPlugin(string path, ConfigSection section, List<ConfigDiagnostic> found)
    {
        foreach (var e in section.Entries.Where(e => e.Name == "enabled" && !ConfigValue.TryParseBool(e.Value, out _)))
        {
            found.Add(new ConfigDiagnostic(ConfigSeverity.Error, path, e.Line, $"[{section.Name}] enabled: '{e.Value}' is not yes or no"));
        }
    }

    private static string Unknown(string name)
    {
        var near = GlobalSettings.All.Select(s => s.Name).MinBy(n => Distance(n, name));
        return near is not null && Distance(near, name) <= 3
            ? $"unknown setting; did you mean '{near}'?"
            : "unknown setting";
    }

    private static int Distance(string a, string b)
    {
        var d = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            d[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            var prev = d[0];
            d[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cur = d[j];
                d[j] = Math.Min(Math.Min(d[j] + 1, d[j - 1] + 1), prev + (a[i - 1] == b[j - 1] ? 0 : 1));
                prev = cur;
            }
        }

        return d[b.Length];
    }
}
