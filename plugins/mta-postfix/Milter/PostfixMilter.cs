using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Postern.Protocols.Milter.Agent;
using Postern.Sdk.Messages;
using Postern.Sdk.Plugins;

namespace Postern.Plugins.Mta.Postfix.Milter;

/// <summary>
/// Postfix's milter (before-queue) side: the milter agent for <c>[postfix]</c>, listening by default on
/// <c>inet:127.0.0.1:10030</c> (TCP because Postfix's smtpd usually runs chrooted, where a unix socket in run_dir is
/// out of reach). It runs when <c>[postfix] milter = yes</c> or <c>milter_listen</c> is set, so a site using only the
/// after-queue filter gets no extra listener. Its settings are the kit's <c>milter_*</c> ones. Called once from the
/// plugin's startup; bad settings throw there.
/// </summary>
internal static class PostfixMilter
{
    /// <summary>Where the agent listens when <c>milter_listen</c> is not set.</summary>
    public const string DefaultListen = "inet:127.0.0.1:10030";

    /// <summary>Reads the settings and registers the agent when it is switched on; returns the settings (for setup).</summary>
    public static MilterAgentSettings Register(IServiceCollection services, PluginContext context)
    {
        var section = context.Section("postfix");
        var runDir = context.GlobalSettings.TryGetValue("run_dir", out var dir) && dir.Length > 0 ? dir : "/run/postern";
        var settings = MilterAgentSettings.Parse(section, runDir, DefaultListen, out var errors);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("[postfix] " + string.Join("; ", errors));
        }

        var enabled = section.TryGetValue("milter", out var on) ? on.Trim().ToLowerInvariant() is "yes" or "true" or "on" or "1"
            : section.ContainsKey("milter_listen");
        if (enabled)
        {
            services.AddSingleton<IAgent>(sp => new MilterAgent("postfix", sp.GetRequiredService<IMessageDispatcher>(), settings,
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("Postern.Mta.Postfix.Milter")));
        }

        return settings;
    }
}
