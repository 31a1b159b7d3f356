using Microsoft.Extensions.DependencyInjection;
using Postern.Sdk.Plugins;
using Postern.Sdk.Scanning;

namespace Postern.TestPlugins.GoodEngine;

/// <summary>Registers an engine that behaves: it initialises, then finds a marker string.</summary>
public sealed class GoodEnginePluginStartup : IPluginStartup
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        services.AddSingleton(context);
        services.AddSingleton<IScanEngine, MarkerEngine>();
    }
}
