using System.Collections.Concurrent;
using Postern.Core.Configuration;

namespace Postern.Core.Policy;

/// <summary>
/// The policy part of a configuration: <c>[global]</c>, the agent sections and each agent's special sections,
/// resolved per sender, recipient and agent. Immutable; build a new one on reload.
/// </summary>
/// <remarks>Precedence, most specific first, each special section before its <c>parent_id</c> ancestors:
/// <c>[recipient|sender]</c> pairs (address before domain on either side), <c>[user@domain]</c>,
/// <c>[@domain]</c>, <c>[|sender@domain]</c>, <c>[|@domain]</c>, the agent section, <c>[global]</c>, the built-in
/// default. Settings in <see cref="PolicySettings.MessageWide"/> skip the recipient levels.</remarks>
public sealed class PolicyConfig(ConfigFile main, IReadOnlyDictionary<string, SpecialConfig> specials)
{
    // What postern.conf says for each agent (its section, then [global], then the default), worked out once per agent:
    // the configuration is immutable, and scanning every section for every setting of every message and recipient
    // was 2-3% of the daemon's CPU in a milter run (perf). Agents are the few the plugins register.
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, EffectiveSetting>> mainSettings =
        new(StringComparer.Ordinal);

    public ConfigFile Main => main;

    /// <summary>The policy with only the built-in defaults.</summary>
    public static PolicyConfig Defaults { get; } = new(ConfigFile.Empty, new Dictionary<string, SpecialConfig>());

    /// <summary>The special configuration an agent uses: its own <c>user_config</c>, else the global one.</summary>
    public SpecialConfig SpecialFor(string agent) =>
        specials.TryGetValue(agent.ToLowerInvariant(), out var s) ? s
        : specials.TryGetValue("global", out var g) ? g
        : SpecialConfig.Empty;

    /// <summary>Every policy setting for mail from <paramref name="sender"/> to <paramref name="recipient"/>
    /// (null: the message-wide view) received by <paramref name="agent"/>.</summary>
    public EffectiveSettings Resolve(string agent, string sender, string? recipient)
    {
        var special = SpecialFor(agent);
        var fallback = mainSettings.GetOrAdd(agent, MainSettings);
        if (special.IsEmpty)
        {
            return new EffectiveSettings(fallback);
        }

        var keys = SpecialKeys(sender, recipient);
        var resolved = new Dictionary<string, EffectiveSetting>(StringComparer.Ordinal);
        foreach (var spec in PolicySettings.All)
        {
            var perRecipient = recipient is not null && !PolicySettings.MessageWide.Contains(spec.Name);
            resolved[spec.Name] =
                keys.Where(k => perRecipient || !k.PerRecipient).Select(k => special.Find(k.Key, spec.Name)).FirstOrDefault(s => s is not null)
                ?? fallback[spec.Name];
        }

        return new EffectiveSettings(resolved);
    }

    private IReadOnlyDictionary<string, EffectiveSetting> MainSettings(string agent) =>
        PolicySettings.All.ToDictionary(
            spec => spec.Name,
            spec => FromMain(agent, spec.Name) ?? FromMain("global", spec.Name) ?? new EffectiveSetting(spec.Name, spec.Default, SettingOrigin.Default),
            StringComparer.Ordinal);

    private EffectiveSetting? FromMain(string section, string name)
    {
        ConfigEntry? found = null;
        ConfigSection? where = null;
        foreach (var s in main.Sections.Where(s => s.Name.Equals(section, StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var e in s.Entries.Where(e => e.Name == name))
            {
                (found, where) = (e, s);
            }
        }

        return found is null ? null : new EffectiveSetting(name, found.Value, new SettingOrigin(main.Path, found.Line, where!.Name));
    }

    private static List<(string Key, bool PerRecipient)> SpecialKeys(string sender, string? recipient)
    {
        var senders = SpecialSectionName.Keys(sender).ToList();
        var keys = new List<(string, bool)>();
        if (recipient is not null)
        {
            var recipients = SpecialSectionName.Keys(recipient).Where(k => k != SpecialSectionName.NullSender).ToList();
            keys.AddRange(recipients.SelectMany(r => senders.Select(s => (r + "|" + s, true))));
            keys.AddRange(recipients.Select(r => (r, true)));
        }

        keys.AddRange(senders.Select(s => ("|" + s, false)));
        return keys;
    }
}
