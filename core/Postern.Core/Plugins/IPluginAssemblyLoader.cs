namespace Postern.Core.Plugins;

/// <summary>
/// Loads a plugin's entry assembly into a load context of its own. The seam between the host's checks (which never
/// load code) and the runtime's loader; tests put a recording loader here to prove a refused plugin was never loaded.
/// </summary>
internal interface IPluginAssemblyLoader
{
    /// <summary>Loads the assembly at <paramref name="entryAssemblyPath"/>, a full path already checked to lie in its plugin folder.</summary>
    /// <exception cref="Exception">Whatever the runtime throws for a missing or bad image; the caller marks the plugin malfunctioned.</exception>
    LoadedPluginAssembly Load(string entryAssemblyPath);
}
