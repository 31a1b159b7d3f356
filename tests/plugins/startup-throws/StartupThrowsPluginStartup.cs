using Microsoft.Extensions.DependencyInjection;
using Postern.Sdk.Plugins;

namespace Postern.TestPlugins.StartupThrows;

/// <summary>Throws from <see cref="ConfigureServices"/>, as a plugin with a bad configuration section might.</summary>
public sealed class StartupThrowsPluginStartup : IPluginStartup
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context) =>
        throw new InvalidOperationException("startup-throws refuses to configure (on purpose)");
}
