using Microsoft.Extensions.DependencyInjection;
using Postern.Protocols.Clamd;
using Postern.Sdk.Cli;
using Postern.Sdk.Messages;
using Postern.Sdk.Plugins;

namespace Postern.Plugins.Mta.Exim;

/// <summary>Registers the <c>exim</c> agent (a clamd server for Exim's malware ACL) and <c>postern setup exim</c>.</summary>
public sealed class EximStartup : IPluginStartup
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var section = context.Section("exim");
        services.AddSingleton<ICliVerb, SetupEximVerb>();
        if (section.TryGetValue("enabled", out var enabled) && enabled is "no" or "false" or "0")
        {
            return;
        }

        var options = EximSettings.Read(section, context.GlobalSettings);
        services.AddSingleton(options);
        services.AddSingleton<IClamdBackend>(sp => new EximBackend(sp.GetRequiredService<IMessageDispatcher>(), sp.GetRequiredService<IMessageScanner>()));
        services.AddSingleton<IAgent, EximClamdAgent>();
    }
}
