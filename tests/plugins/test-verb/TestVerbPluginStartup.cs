using Microsoft.Extensions.DependencyInjection;
using Postern.Sdk.Cli;
using Postern.Sdk.Messages;
using Postern.Sdk.Plugins;

namespace Postern.TestPlugins.TestVerb;

/// <summary>Contributes the CLI verb <c>postern test-verb</c> and an agent, and no engine.</summary>
public sealed class TestVerbPluginStartup : IPluginStartup
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        services.AddSingleton<ICliVerb, TestVerb>();
        services.AddSingleton<IAgent, TestAgent>();
    }
}
