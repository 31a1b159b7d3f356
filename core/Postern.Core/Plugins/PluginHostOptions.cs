using System.Collections.ObjectModel;

namespace Postern.Core.Plugins;

/// <summary>Where the plugin host looks for plugins and what it tells them. Immutable once built.</summary>
public sealed class PluginHostOptions
{
    private static readonly IReadOnlyDictionary<string, string> NoSettings = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>The plugins folder beside the executable: <c>&lt;AppContext.BaseDirectory&gt;/plugins</c>.</summary>
    public static string DefaultRoot => Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>
    /// The folders whose sub-folders are plugins, searched in this order; when two plugins share an id, the one in the
    /// earlier root wins. Default: <see cref="DefaultRoot"/> alone. Add the <c>plugin_dir</c> roots from configuration
    /// after it. A root that does not exist is logged and skipped.
    /// </summary>
    public IReadOnlyList<string> Roots { get; init; } = [DefaultRoot];

    /// <summary>
    /// Each plugin's section of <c>postern.conf</c>, keyed by plugin id; a plugin without an entry gets an empty section.
    /// <c>enabled = no</c> (also <c>false</c>, <c>off</c>, <c>0</c>) in a section makes that plugin
    /// <see cref="Sdk.Plugins.PluginState.Disabled"/> before any of its code is loaded.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> PluginSettings { get; init; } =
        ReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>.Empty;

    /// <summary>The <c>[global]</c> section, passed to every plugin as <see cref="Sdk.Plugins.PluginContext.GlobalSettings"/>.</summary>
    public IReadOnlyDictionary<string, string> GlobalSettings { get; init; } = NoSettings;

    /// <summary>
    /// How long one engine's <c>InitializeAsync</c> may take before its plugin is marked malfunctioned. Default 60 s:
    /// long enough to load a large signature database from a cold disk, short enough that a hung engine does not stall
    /// a restart noticeably.
    /// </summary>
    public TimeSpan EngineInitializationTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Whether <see cref="PluginHost.StartAsync"/> initialises engines. <c>false</c> loads and activates only, for
    /// commands that list or inspect plugins without scanning; engines then stay in <c>EngineState.Starting</c>.
    /// </summary>
    public bool InitializeEngines { get; init; } = true;

    /// <summary>
    /// When set, only plugins whose manifest names one of these kinds are loaded; the others are left on disk, not
    /// listed. <c>postern scan</c> sets it to engines alone: the MTA plugins add nothing to a file scan but their load
    /// time and memory. A folder whose manifest cannot be read is still tried, so its problem is reported.
    /// </summary>
    public IReadOnlySet<Postern.Sdk.Plugins.PluginKind>? Kinds { get; init; }

    /// <summary>The clock for the initialisation time limit; tests may pass their own.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal IReadOnlyDictionary<string, string> SettingsFor(string pluginId) =>
        PluginSettings.TryGetValue(pluginId, out var settings) ? settings : NoSettings;
}
