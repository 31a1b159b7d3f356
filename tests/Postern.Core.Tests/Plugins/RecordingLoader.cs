using System.Collections.Concurrent;
using Postern.Core.Plugins;

namespace Postern.Core.Tests.Plugins;

/// <summary>The real loader, remembering every path it was asked to load.</summary>
internal sealed class RecordingLoader : IPluginAssemblyLoader
{
    private readonly McMasterPluginAssemblyLoader _inner = new();
    private readonly ConcurrentQueue<string> _loaded = new();

    public IReadOnlyList<string> Loaded => [.. _loaded];

    public LoadedPluginAssembly Load(string entryAssemblyPath)
    {
        _loaded.Enqueue(entryAssemblyPath);
        return _inner.Load(entryAssemblyPath);
    }
}
