using Postern.Core.Configuration;

namespace Postern.Core.Policy;

/// <summary>Checks a <c>user_config</c> file: only policy settings and <c>parent_id</c>, good values, parents
/// that exist, no cycles; and warns about settings a recipient section cannot decide alone.</summary>
public static class SpecialConfigValidator
{
    public static IReadOnlyList<ConfigDiagnostic> Validate(SpecialConfig special)
    {
        var found = new List<ConfigDiagnostic>();
        var path = special.File.Path;
        foreach (var section in special.Sections)
        {
            var kind = SpecialSectionName.Parse(section.Name).Kind;
            foreach (var e in section.Entries)
            {
                if (e.Name == SpecialConfig.ParentId)
                {
                    continue;
                }

                var spec = PolicySettings.Find(e.Name);
                var problem = spec is null || e.Name == PolicySettings.UserConfig
                    ? SettingNames.Unknown(e.Name, PolicySettings.All.Select(s => s.Name).Append(SpecialConfig.ParentId))
                    : spec.Check(e.Value);
                if (problem is not null)
                {
                    found.Add(new ConfigDiagnostic(ConfigSeverity.Error, path, e.Line, $"[{section.Name}] {e.Name}: {problem}"));
                }
                else if (PolicySettings.MessageWide.Contains(e.Name) && kind is SpecialSectionKind.Recipient or SpecialSectionKind.RecipientDomain or SpecialSectionKind.Pair)
                {
                    found.Add(new ConfigDiagnostic(ConfigSeverity.Warning, path, e.Line,
                        $"[{section.Name}] {e.Name}: changes the message for all its recipients, so recipient sections do not set it; put it in a sender section or the agent section"));
                }
            }

            special.Chain(section.Name.Trim().ToLowerInvariant(), out var chainProblem);
            if (chainProblem is not null)
            {
                var line = special.Entry(section.Name.Trim().ToLowerInvariant(), SpecialConfig.ParentId)?.Line ?? section.Line;
                found.Add(new ConfigDiagnostic(ConfigSeverity.Error, path, line, $"[{section.Name}] {chainProblem}"));
            }
        }

        return [.. found.Distinct()];
    }
}
