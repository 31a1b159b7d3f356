using Postern.Core.Configuration;

namespace Postern.Core.Policy;

/// <summary>Builds a <see cref="PolicyConfig"/> from the main file: reads the <c>user_config</c> files named in
/// <c>[global]</c> and the agent sections (relative paths are taken from the main file's folder).</summary>
public static class PolicyConfigLoader
{
    public static PolicyConfig Load(ConfigFile main, out IReadOnlyList<ConfigDiagnostic> diagnostics)
    {
        var found = new List<ConfigDiagnostic>();
        var loaded = new Dictionary<string, SpecialConfig>(StringComparer.Ordinal);
        var specials = new Dictionary<string, SpecialConfig>(StringComparer.Ordinal);
        foreach (var section in main.Sections.Where(s => IsPolicySection(s.Name)))
        {
            var entry = section.Entries.LastOrDefault(e => e.Name == PolicySettings.UserConfig);
            if (entry is null || entry.Value.Length == 0)
            {
                continue;
            }

            var path = Resolve(main.Path, entry.Value);
            if (!loaded.TryGetValue(path, out var special))
            {
                var file = ConfigParser.Load(path);
                found.AddRange(file.Diagnostics.Select(d => d.Line == 0
                    ? d with { File = main.Path, Line = entry.Line, Message = $"[{section.Name}] user_config: {path}: {d.Message}" }
                    : d));
                special = new SpecialConfig(file);
                found.AddRange(SpecialConfigValidator.Validate(special));
                loaded[path] = special;
            }

            specials[section.Name.ToLowerInvariant()] = special;
        }

        diagnostics = found;
        return new PolicyConfig(main, specials);
    }

    public static bool IsPolicySection(string name) =>
        name.Equals("global", StringComparison.OrdinalIgnoreCase) || AgentNames.IsAgent(name);

    private static string Resolve(string mainPath, string value)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(mainPath)) ?? "/";
        return Path.GetFullPath(Path.Combine(folder, value));
    }
}
