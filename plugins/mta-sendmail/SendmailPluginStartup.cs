using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postern.Protocols.Milter.Agent;
using Postern.Sdk.Messages;
using Postern.Sdk.Plugins;

namespace Postern.Plugins.Mta.Sendmail;

/// <summary>
/// Registers the Sendmail milter agent (settings in <c>[sendmail]</c>; by default a unix socket
/// <c>milter.sock</c> in <c>[global] run_dir</c>) and the <c>postern setup sendmail</c> verb. Bad settings throw here,
/// which marks the plugin Malfunctioned with the reason rather than serving on a guess.
/// </summary>
public sealed class SendmailPluginStartup : IPluginStartup
{
    /// <summary>The agent section and <c>Envelope.Agent</c>.</summary>
    public const string AgentName = "sendmail";

    /// <summary>The listener when <c>milter_listen</c> is not set: in <c>run_dir</c>.</summary>
    public const string DefaultListen = "unix:milter.sock";

    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        var runDir = context.GlobalSettings.TryGetValue("run_dir", out var dir) && dir.Length > 0 ? dir : "/run/postern";
        var settings = MilterAgentSettings.Parse(context.Section(AgentName), runDir, DefaultListen, out var errors);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"[{AgentName}] " + string.Join("; ", errors));
        }

        services.AddSingleton<IAgent>(sp => new MilterAgent(AgentName, sp.GetRequiredService<IMessageDispatcher>(), settings,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Postern.Mta.Sendmail")));
        services.AddSingleton<Postern.Sdk.Cli.ICliVerb>(new SetupSendmailVerb(settings));
    }
}
