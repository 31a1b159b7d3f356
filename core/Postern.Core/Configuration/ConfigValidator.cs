using Postern.Core.Policy;
using Postern.Core.Quarantine;

namespace Postern.Core.Configuration;

/// <summary>
/// Checks a parsed file against what is known: <c>[global]</c> settings by name and type, plugin sections by the
/// installed plugins' ids. Unknown global settings are errors (a typo there silently keeps a default); unknown
/// sections are warnings (the plugin may be installed later). Agent sections (<see cref="AgentNames"/>) take the
/// policy settings, checked like <c>[global]</c>; the <c>user_config</c> files they name are read and checked too.
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
            else if (AgentNames.IsAgent(section.Name))
            {
                CheckAgent(file.Path, section, pluginIds.Contains(section.Name, StringComparer.OrdinalIgnoreCase), found);
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

        PolicyConfigLoader.Load(file, out var special);
        found.AddRange(special);
        return found;
    }

    private static void CheckAgent(string path, ConfigSection section, bool isPlugin, List<ConfigDiagnostic> found)
    {
        foreach (var e in section.Entries)
        {
            var spec = PolicySettings.Find(e.Name);
            var near = SettingNames.Unknown(e.Name, PolicySettings.All.Select(s => s.Name));

            // A plugin's own settings share its agent section; only a near miss of a policy name is surely a typo there.
            var problem = spec is not null ? spec.Check(e.Value)
                : isPlugin && (e.Name == "enabled" || !near.Contains("did you mean", StringComparison.Ordinal)) ? null
                : near;
            if (problem is not null)
            {
                found.Add(new ConfigDiagnostic(ConfigSeverity.Error, path, e.Line, $"[{section.Name}] {e.Name}: {problem}"));
            }
        }
    }

    private static void CheckGlobal(string path, ConfigSection section, List<ConfigDiagnostic> found)
    {
        foreach (var e in section.Entries)
        {
            var spec = GlobalSettings.Find(e.Name);
            var problem = spec is null ? Unknown(e.Name)
                : e.Name == GlobalSettings.QuarantineRetention && !AgeValue.TryParse(e.Value, out _) ? $"'{e.Value}' is not an age (such as 30d, 2w, 12h)"
                : spec.Check(e.Value);
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

    private static string Unknown(string name) => SettingNames.Unknown(name, GlobalSettings.All.Select(s => s.Name));
}
