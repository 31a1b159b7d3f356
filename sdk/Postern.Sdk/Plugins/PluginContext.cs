namespace Postern.Sdk.Plugins;

/// <summary>What the host tells a plugin about itself when it starts. Immutable.</summary>
/// <param name="PluginId">The plugin's id from its <c>plugin.json</c>, such as <c>engine-signatures</c>.</param>
/// <param name="PluginDirectory">The absolute path of the plugin's folder; data files shipped with the plugin live here.</param>
/// <param name="Settings">The plugin's own section of <c>postern.conf</c> (<c>[plugin-id]</c>), names lower-cased,
/// values unquoted; empty when the file has no such section.</param>
/// <param name="GlobalSettings">The <c>[global]</c> section of <c>postern.conf</c>, with the same conventions.</param>
/// <param name="HostSdkVersion">The version of the SDK the host was built with.</param>
public sealed record PluginContext(
    string PluginId,
    string PluginDirectory,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyDictionary<string, string> GlobalSettings,
    Version HostSdkVersion)
{
    /// <summary>Every section of <c>postern.conf</c> except <c>[global]</c>, keyed by section name (case-insensitive),
    /// with the same conventions as <see cref="Settings"/>. MTA adapters read their agent section here
    /// (<c>[postfix]</c>, <c>[exim]</c>, <c>[qmail]</c>): it holds both the listener settings and the policy
    /// overrides for mail the agent receives. Since SDK 1.1.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Sections { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>The named section of <c>postern.conf</c>, or an empty one. Since SDK 1.1.</summary>
    /// <param name="name">The section name without brackets, such as <c>postfix</c>.</param>
    public IReadOnlyDictionary<string, string> Section(string name) =>
        Sections.TryGetValue(name, out var section) ? section : new Dictionary<string, string>();
}
