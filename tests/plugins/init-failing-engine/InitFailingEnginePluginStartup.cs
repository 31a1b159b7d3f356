using Microsoft.Extensions.DependencyInjection;
using Postern.Sdk.Plugins;
using Postern.Sdk.Scanning;

namespace Postern.TestPlugins.InitFailingEngine;

/// <summary>Registers an engine whose initialisation throws, as one with a corrupt database would.</summary>
public sealed class InitFailingEnginePluginStartup : IPluginStartup
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context) =>
        services.AddSingleton<IScanEngine, InitFailingEngine>();
}
