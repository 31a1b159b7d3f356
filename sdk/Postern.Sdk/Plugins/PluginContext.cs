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
    Version HostSdkVersion);
