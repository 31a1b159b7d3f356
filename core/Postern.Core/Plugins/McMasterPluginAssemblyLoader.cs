using McMaster.NETCore.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postern.Sdk.Plugins;

namespace Postern.Core.Plugins;

/// <summary>
/// Loads each plugin into its own <c>AssemblyLoadContext</c> with McMaster.NETCore.Plugins, sharing only the contract
/// assemblies with the host.
/// </summary>
/// <remarks>
/// <para><c>PreferSharedTypes = false</c>: with it on, every assembly the host also has (Newtonsoft.Json, say) would be
/// taken from the host and a plugin's own version silently replaced; the dependency spike saw exactly that.</para>
/// <para>Shared, by one type each: the SDK, <c>Microsoft.Extensions.DependencyInjection.Abstractions</c> (the plugin fills
/// an <see cref="IServiceCollection"/> the host reads) and <c>Microsoft.Extensions.Logging.Abstractions</c> (plugins log
/// through the host's <see cref="ILoggerFactory"/>). McMaster also shares what those assemblies reference.</para>
/// <para>Not unloadable: Newtonsoft.Json and others pin a load context through TypeDescriptor caches, so unloading is not
/// promised; a reload is a process restart.</para>
/// </remarks>
internal sealed class McMasterPluginAssemblyLoader : IPluginAssemblyLoader
{
    /// <summary>One type from each assembly whose types cross the host/plugin boundary.</summary>
    public static IReadOnlyList<Type> SharedTypes { get; } = [typeof(IPluginStartup), typeof(IServiceCollection), typeof(ILogger)];

    public LoadedPluginAssembly Load(string entryAssemblyPath)
    {
        var loader = PluginLoader.CreateFromAssemblyFile(
            entryAssemblyPath,
            isUnloadable: false,
            [.. SharedTypes],
            config => config.PreferSharedTypes = false);
        return new LoadedPluginAssembly(loader.LoadDefaultAssembly(), loader.LoadContext, loader);
    }
}
