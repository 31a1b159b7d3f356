using Postern.Sdk.Plugins;

namespace Postern.Core.Plugins;

/// <summary>
/// A plugin's <c>plugin.json</c>, stamped by the build (see <c>build/Plugin.targets</c>) and checked by the host
/// before it loads a single byte of the plugin's code. Immutable.
/// </summary>
/// <param name="Id">The plugin's id: kebab-case, also the name of its folder and of its <c>postern.conf</c> section.</param>
/// <param name="Version">The plugin's own version, such as <c>1.2.0</c> or <c>1.2.0-beta.1</c>.</param>
/// <param name="Kind">What the plugin contributes.</param>
/// <param name="EntryAssembly">The assembly holding the plugin's <see cref="IPluginStartup"/>, relative to its folder.</param>
/// <param name="MinimumSdk">The least SDK version the plugin needs (the one it was compiled against).</param>
public sealed record PluginManifest(string Id, string Version, PluginKind Kind, string EntryAssembly, Version MinimumSdk)
{
    /// <summary>The manifest's file name inside a plugin folder.</summary>
    public const string FileName = "plugin.json";
}
