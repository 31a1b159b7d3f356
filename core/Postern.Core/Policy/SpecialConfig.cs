using Postern.Core.Configuration;

namespace Postern.Core.Policy;

/// <summary>
/// A parsed <c>user_config</c> file: special sections by name, each with its <c>parent_id</c> chain. Sections
/// with the same name merge, the last value winning, as in the main file.
/// </summary>
public sealed class SpecialConfig
{
    public const string ParentId = "parent_id";

    // Deeper inheritance is a mistake, not a design: stop rather than walk an absurd chain.
    private const int MaxChain = 32;

    private readonly Dictionary<string, List<ConfigSection>> sections = new(StringComparer.Ordinal);

    public SpecialConfig(ConfigFile file)
    {
        File = file;
        foreach (var s in file.Sections)
        {
            var key = s.Name.Trim().ToLowerInvariant();
            if (!sections.TryGetValue(key, out var list))
            {
                sections[key] = list = [];
            }

            list.Add(s);
        }
    }

    public static SpecialConfig Empty { get; } = new(ConfigFile.Empty);

    public ConfigFile File { get; }

    public bool Contains(string key) => sections.ContainsKey(key);

    /// <summary>Whether the file has no special section at all (then only postern.conf decides).</summary>
    public bool IsEmpty => sections.Count == 0;

    /// <summary>The value of <paramref name="setting"/> in section <paramref name="key"/> or the nearest parent
    /// that sets it; null when none does or there is no such section.</summary>
    public EffectiveSetting? Find(string key, string setting)
    {
        foreach (var section in Chain(key, out _))
        {
            if (Entry(section, setting) is { } e)
            {
                return new EffectiveSetting(setting, e.Value, new SettingOrigin(File.Path, e.Line, section));
            }
        }

        return null;
    }

    /// <summary>The section and its ancestors, nearest first. Stops at a missing parent or a cycle and says why
    /// in <paramref name="problem"/>.</summary>
    public IReadOnlyList<string> Chain(string key, out string? problem)
    {
        var chain = new List<string>();
        problem = null;
        for (var current = key; current is not null;)
        {
            if (chain.Contains(current))
            {
                problem = $"parent_id cycle: {string.Join(" -> ", chain.SkipWhile(c => c != current))} -> {current}";
                break;
            }

            if (!sections.ContainsKey(current))
            {
                problem = chain.Count == 0 ? null : $"parent_id '{current}' names no section in {File.Path}";
                break;
            }

            if (chain.Count == MaxChain)
            {
                problem = $"parent_id chain longer than {MaxChain}";
                break;
            }

            chain.Add(current);
            current = Entry(current, ParentId)?.Value.Trim().ToLowerInvariant();
        }

        return chain;
    }

    /// <summary>The merged section's last entry with this name.</summary>
    public ConfigEntry? Entry(string key, string name) =>
        sections.TryGetValue(key, out var list)
            ? list.SelectMany(s => s.Entries).LastOrDefault(e => e.Name == name)
            : null;

    public IEnumerable<ConfigSection> Sections => sections.Values.SelectMany(l => l);
}
