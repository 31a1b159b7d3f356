using Postern.Sdk.Plugins;

namespace Postern.Core.Plugins;

/// <summary>Takes one catalogued plugin through the gate, the loader and the activator; always returns an outcome.</summary>
internal sealed class PluginStarter(IPluginAssemblyLoader loader, PluginActivator activator, PluginHostOptions options)
{
    public PluginOutcome Start(PluginCandidate candidate)
    {
        var hostSdk = SdkCompatibility.HostVersion;
        if (PluginGate.Check(candidate, options, hostSdk, out var entryPath) is { } refused)
        {
            return new PluginOutcome(refused);
        }

        var manifest = candidate.Manifest!;
        if (!File.Exists(entryPath))
        {
            return Malfunctioned(candidate, $"entry assembly '{manifest.EntryAssembly}' not found in the plugin folder");
        }

        LoadedPluginAssembly assembly;
        try
        {
            assembly = loader.Load(entryPath);
        }
        catch (Exception ex) // Plugin boundary: a bad image or a missing dependency fails this plugin only.
        {
            return Malfunctioned(candidate, $"loading '{manifest.EntryAssembly}' failed: {PluginFailure.Describe(ex)}", ex);
        }

        var context = new PluginContext(
            manifest.Id, candidate.Directory, options.SettingsFor(manifest.Id), options.GlobalSettings, hostSdk)
        {
            Sections = options.PluginSettings,
        };
        try
        {
            var activation = activator.Activate(assembly, context);
            return new PluginOutcome(candidate.ToRecord(PluginState.Active, activation.Summary), activation);
        }
        catch (Exception ex) // Plugin boundary: the activator names the stage; anything else (a throwing Dispose) still stays here.
        {
            assembly.Dispose();
            return ex is PluginActivationException named
                ? Malfunctioned(candidate, named.Message, named.InnerException ?? named)
                : Malfunctioned(candidate, $"activation failed: {PluginFailure.Describe(ex)}", ex);
        }
    }

    private static PluginOutcome Malfunctioned(PluginCandidate candidate, string reason, Exception? error = null) =>
        new(candidate.ToRecord(PluginState.Malfunctioned, reason), null, error);
}
