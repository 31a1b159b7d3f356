using Postern.Sdk.Plugins;

namespace Postern.Core.Plugins;

/// <summary>What became of one plugin folder: who it is, where it lives, its final state and why. Immutable.</summary>
/// <param name="Id">The manifest's id, or the folder name when the folder has no usable manifest.</param>
/// <param name="Version">The manifest's version, or <c>null</c> without a usable manifest.</param>
/// <param name="Kind">The manifest's kind, or <c>null</c> without a usable manifest.</param>
/// <param name="MinimumSdk">The SDK version the plugin needs, or <c>null</c> without a usable manifest.</param>
/// <param name="Directory">The plugin folder's full path.</param>
/// <param name="State">The outcome: <see cref="PluginState.Active"/>, <see cref="PluginState.Disabled"/>,
/// <see cref="PluginState.NotSupported"/> or <see cref="PluginState.Malfunctioned"/>.</param>
/// <param name="Reason">One line for the administrator: what the plugin contributes when active, else why not.</param>
public sealed record PluginRecord(
    string Id,
    string? Version,
    PluginKind? Kind,
    Version? MinimumSdk,
    string Directory,
    PluginState State,
    string Reason);
