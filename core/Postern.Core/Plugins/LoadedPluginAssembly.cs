using System.Reflection;
using System.Runtime.Loader;

namespace Postern.Core.Plugins;

/// <summary>A plugin's entry assembly, the load context it lives in, and what keeps that context alive.</summary>
internal sealed class LoadedPluginAssembly(Assembly entryAssembly, AssemblyLoadContext loadContext, IDisposable? owner = null) : IDisposable
{
    public Assembly EntryAssembly { get; } = entryAssembly;

    public AssemblyLoadContext LoadContext { get; } = loadContext;

    public void Dispose() => owner?.Dispose();
}
