using Microsoft.Extensions.DependencyInjection;
using Postern.Sdk.Plugins;

namespace Postern.TestPlugins.NewerSdk;

/// <summary>Would fail loudly if the host ever ran it: its manifest says it needs SDK 1.9.</summary>
public sealed class NewerSdkPluginStartup : IPluginStartup
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context) =>
        throw new InvalidOperationException("newer-sdk must never be started by a 1.0 host");
}
