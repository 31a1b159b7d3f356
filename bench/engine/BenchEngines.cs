using Microsoft.Extensions.DependencyInjection;
using Postern.Plugins.Engine.Signatures;
using Postern.Sdk.Plugins;
using Postern.Sdk.Scanning;

/// <summary>Engines made through the plugin's own startup, as the host makes them.</summary>
internal static class BenchEngines
{
    public static IScanEngine Create(string database)
    {
        var services = new ServiceCollection();
        var settings = new Dictionary<string, string> { ["database"] = database };
        var context = new PluginContext("engine-signatures", AppContext.BaseDirectory, settings, new Dictionary<string, string>(), new Version(1, 0));
        new SignaturesPluginStartup().ConfigureServices(services, context);
        return services.BuildServiceProvider().GetRequiredService<IScanEngine>();
    }
}
