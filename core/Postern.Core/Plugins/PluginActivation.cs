using Autofac;
using Postern.Sdk.Cli;
using Postern.Sdk.Messages;
using Postern.Sdk.Scanning;

namespace Postern.Core.Plugins;

/// <summary>A started plugin: its own lifetime scope, the services it contributes, and the assembly that keeps them alive.</summary>
internal sealed class PluginActivation(
    ILifetimeScope scope,
    LoadedPluginAssembly assembly,
    IReadOnlyList<IScanEngine> engines,
    IReadOnlyList<ICliVerb> verbs,
    IReadOnlyList<IAgent> agents,
    string summary) : IAsyncDisposable
{
    public IReadOnlyList<IScanEngine> Engines { get; } = engines;

    public IReadOnlyList<ICliVerb> Verbs { get; } = verbs;

    public IReadOnlyList<IAgent> Agents { get; } = agents;

    /// <summary>What the plugin contributes, in one line, read once while the plugin was being activated.</summary>
    public string Summary { get; } = summary;

    /// <summary>Disposes the plugin's scope (and so its disposable services), then lets go of its load context.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await scope.DisposeAsync();
        }
        finally
        {
            assembly.Dispose();
        }
    }
}
