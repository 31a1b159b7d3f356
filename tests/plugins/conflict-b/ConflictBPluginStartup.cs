using Microsoft.Extensions.DependencyInjection;
using Postern.Sdk.Plugins;
using Postern.Sdk.Scanning;
using Postern.TestPlugins.Shared;

namespace Postern.TestPlugins.ConflictB;

/// <summary>Registers an engine that reports which Newtonsoft.Json it was given at run time.</summary>
public sealed class ConflictBPluginStartup : IPluginStartup
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context) =>
        services.AddSingleton<IScanEngine>(new NewtonsoftProbeEngine(context.PluginId));
}
