using System.Diagnostics.CodeAnalysis;
using Postern.Sdk.Plugins;

namespace Postern.Core.Plugins;

/// <summary>
/// The checks made on data alone, before any of a plugin's code is loaded: a usable manifest, not switched off, an SDK
/// this host has, an entry assembly inside the plugin's folder. Anything refused here has never run.
/// </summary>
internal static class PluginGate
{
    private static readonly string[] Off = ["no", "false", "off", "0"];

    /// <summary>Returns the record of a refused plugin, or <c>null</c> and the entry assembly's checked full path.</summary>
    public static PluginRecord? Check(PluginCandidate candidate, PluginHostOptions options, Version hostSdk, [NotNullWhen(false)] out string? entryPath)
    {
        entryPath = null;
        if (candidate.Manifest is not { } manifest)
        {
            return candidate.ToRecord(PluginState.NotSupported, candidate.Problem ?? "no usable manifest");
        }

        if (candidate.Problem is { } problem)
        {
            return candidate.ToRecord(PluginState.NotSupported, problem);
        }

        if (options.SettingsFor(manifest.Id).TryGetValue("enabled", out var enabled)
            && Off.Contains(enabled.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            return candidate.ToRecord(PluginState.Disabled, $"enabled = {enabled} in [{manifest.Id}]");
        }

        if (SdkCompatibility.Check(manifest.MinimumSdk, hostSdk) is { } tooNew)
        {
            return candidate.ToRecord(PluginState.NotSupported, tooNew);
        }

        return EntryAssemblyPath.TryResolve(candidate.Directory, manifest.EntryAssembly, out entryPath, out var outside)
            ? null
            : candidate.ToRecord(PluginState.NotSupported, outside);
    }
}
