using Postern.Core.Cleaning;
using Postern.Core.Configuration;

namespace Postern.Core.Policy;

/// <summary>Every policy setting resolved for one sender, recipient and agent, with its origin. Values are assumed
/// validated; one that still does not parse falls back to the fail-safe built-in default.</summary>
public sealed class EffectiveSettings(IReadOnlyDictionary<string, EffectiveSetting> settings)
{
    public IEnumerable<EffectiveSetting> All => PolicySettings.All.Select(s => settings[s.Name]);

    public EffectiveSetting this[string name] => settings[name];

    public AvAction Action(string name) =>
        Enum.TryParse<AvAction>(settings[name].Value, ignoreCase: true, out var a) && (a != AvAction.Scan || name == PolicySettings.ActionAv)
            ? a
            : Enum.Parse<AvAction>(PolicySettings.Find(name)!.Default, ignoreCase: true);

    public CleanMode CleanMode =>
        Enum.TryParse<CleanMode>(settings[PolicySettings.CleanMode].Value, ignoreCase: true, out var m) ? m : CleanMode.None;

    public bool Flag(string name) =>
        ConfigValue.TryParseBool(settings[name].Value, out var b) ? b
        : ConfigValue.TryParseBool(PolicySettings.Find(name)!.Default, out var d) && d;

    public string Text(string name) => settings[name].Value;
}
