using Microsoft.Extensions.DependencyInjection;
using Postern.Sdk.Plugins;

namespace Postern.TestPlugins.Traversal;

/// <summary>Would fail loudly if the host ever ran it: its manifest points outside its folder.</summary>
public sealed class TraversalPluginStartup : IPluginStartup
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context) =>
        throw new InvalidOperationException("traversal must never be loaded");
}
