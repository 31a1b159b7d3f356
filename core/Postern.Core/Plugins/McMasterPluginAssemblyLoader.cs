using System.Runtime.Loader;
using McMaster.NETCore.Plugins.Loader;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postern.Sdk.Plugins;

namespace Postern.Core.Plugins;

/// <summary>
/// Loads each plugin into its own <c>AssemblyLoadContext</c> with McMaster.NETCore.Plugins, sharing only the contract
/// assemblies with the host.
/// </summary>
/// <remarks>
/// <para><c>PreferSharedTypes</c> stays off: with it on, every assembly the host also has (Newtonsoft.Json, say) would be
/// taken from the host and a plugin's own version silently replaced; the dependency spike saw exactly that.</para>
/// <para>Shared, by one type each: the SDK, <c>Microsoft.Extensions.DependencyInjection.Abstractions</c> (the plugin fills
/// an <see cref="IServiceCollection"/> the host reads) and <c>Microsoft.Extensions.Logging.Abstractions</c> (plugins log
/// through the host's <see cref="ILoggerFactory"/>). McMaster also shares what those assemblies reference: their direct
/// references at once (every type the contracts expose comes from one of them), deeper ones as the plugin's context loads
/// them (McMaster's lazy mode). The eager walk it does otherwise loads the whole reference closure into the process, about
/// twenty framework assemblies no scan touches (System.Reflection.Metadata, System.IO.Compression, ...). Measured: peak RSS
/// of a one-message <c>postern scan</c> 64.5 -> 62.8 MiB. The price: an assembly deep in that closure which a plugin also
/// ships privately is shared only if the plugin's context has loaded the shared assembly that references it first.</para>
/// <para>Not unloadable: Newtonsoft.Json and others pin a load context through TypeDescriptor caches, so unloading is not
/// promised; a reload is a process restart.</para>
/// <para>The context is made with McMaster's <see cref="AssemblyLoadContextBuilder"/>, as its <c>PluginLoader</c> makes it,
/// but without <c>PluginLoader</c>, which hands every runtimeconfig file to McMaster's probing-folder reader; here only
/// those that could add a folder go to it (see <see cref="RuntimeConfigProbing"/>).</para>
/// </remarks>
internal sealed class McMasterPluginAssemblyLoader : IPluginAssemblyLoader
{
    /// <summary>One type from each assembly whose types cross the host/plugin boundary.</summary>
    public static IReadOnlyList<Type> SharedTypes { get; } = [typeof(IPluginStartup), typeof(IServiceCollection), typeof(ILogger)];

    public LoadedPluginAssembly Load(string entryAssemblyPath)
    {
        // The default context is the one McMaster's own assembly lives in, as PluginLoader's configuration defaults it.
        var builder = new AssemblyLoadContextBuilder()
            .IsLazyLoaded(true)
            .SetMainAssemblyPath(entryAssemblyPath)
            .SetDefaultContext(AssemblyLoadContext.GetLoadContext(typeof(AssemblyLoadContextBuilder).Assembly) ?? AssemblyLoadContext.Default);
        foreach (var type in SharedTypes)
        {
            builder.PreferDefaultLoadContextAssembly(type.Assembly.GetName());
        }

        foreach (var file in RuntimeConfigProbing.Files(entryAssemblyPath, AppContext.BaseDirectory, Environment.ProcessPath))
        {
            builder.TryAddAdditionalProbingPathFromRuntimeConfig(file, includeDevConfig: true, out _);
        }

        // Not collectible, so there is nothing to dispose: the context lives as long as the process.
        var context = builder.Build();
        return new LoadedPluginAssembly(context.LoadFromAssemblyPath(entryAssemblyPath), context);
    }
}
