using Microsoft.Extensions.DependencyInjection;
using Postern.Sdk.Plugins;
using Postern.Sdk.Scanning;

namespace Postern.TestPlugins.ThrowingEngine;

/// <summary>Registers an engine that starts fine and then throws from every scan.</summary>
public sealed class ThrowingEnginePluginStartup : IPluginStartup
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context) =>
        services.AddSingleton<IScanEngine, ThrowingEngine>();
}
