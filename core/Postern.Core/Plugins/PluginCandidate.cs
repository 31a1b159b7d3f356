using Postern.Sdk.Plugins;

namespace Postern.Core.Plugins;

/// <summary>One folder the catalog found under a plugin root: its manifest, or why it has none it can use.</summary>
/// <param name="Directory">The folder's full path.</param>
/// <param name="Manifest">The parsed manifest, or <c>null</c> when <paramref name="Problem"/> says why not.</param>
/// <param name="Problem">Why the folder cannot be a plugin (no manifest, invalid manifest, duplicate id), or <c>null</c>.</param>
internal sealed record PluginCandidate(string Directory, PluginManifest? Manifest, string? Problem)
{
    /// <summary>The id to report: the manifest's, else the folder's name, which by convention is the same.</summary>
    public string Id => Manifest?.Id ?? Path.GetFileName(Directory);

    public PluginRecord ToRecord(PluginState state, string reason) =>
        new(Id, Manifest?.Version, Manifest?.Kind, Manifest?.MinimumSdk, Directory, state, reason);
}
