using Microsoft.Extensions.DependencyInjection;
using Postern.Sdk.Plugins;
using Postern.Sdk.Scanning;

namespace Postern.TestPlugins.HangingEngine;

/// <summary>
/// Registers an engine that never finishes. Its section says where it hangs: <c>hang_in = scan</c> (the default)
/// or <c>init</c>, and <c>honour_cancellation = no</c> makes it ignore the token as a badly written engine would.
/// </summary>
public sealed class HangingEnginePluginStartup : IPluginStartup
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        var hangInInit = context.Settings.TryGetValue("hang_in", out var where) && where == "init";
        var honourCancellation = !(context.Settings.TryGetValue("honour_cancellation", out var honour) && honour == "no");
        services.AddSingleton<IScanEngine>(new HangingEngine(hangInInit, honourCancellation));
    }
}
