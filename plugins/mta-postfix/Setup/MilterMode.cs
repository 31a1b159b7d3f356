using System.Net;
using Postern.Protocols.Milter;
using Postern.Protocols.Milter.Agent;
using Postern.Setup;

namespace Postern.Plugins.Mta.Postfix.Setup;

/// <summary>
/// <c>--mode milter</c> (Postfix MILTER_README): main.cf hands every message, from smtpd and from local submission,
/// to Postern's milter agent before it is queued, and takes a temporary failure when Postern cannot answer
/// (<c>milter_default_action = tempfail</c>), protocol 6, and timeouts that let Postern's own message limit (4 min,
/// kept alive by PROGRESS packets) run out first. Milters the admin already has stay in the lists, Postern's after them.
/// Postern's side is switched on with <c>[postfix] milter = yes</c> in postern.conf.
/// </summary>
internal sealed class MilterMode(MilterAgentSettings milter) : ISetupMode
{
    public string Name => "milter";

    /// <summary>Its own backups and manifest, so that it can sit beside the after-queue mode and be undone alone.</summary>
    public string Integration => "postfix-milter";

    public void AddTo(SetupPlan plan, PostfixSetupTarget target)
    {
        var endpoint = milter.Endpoints.Count > 0 ? milter.Endpoints[0]
            : throw new SetupException("[postfix] milter_listen names no endpoint");
        var spec = PostfixSpec(endpoint);
        plan.EditFile(target.MainCf, current =>
        {
            var text = current ?? throw new SetupException($"{target.MainCf} does not exist: not a Postfix configuration directory");
            return MainCf.Set(text,
            [
                ("smtpd_milters", Append(MainCf.Get(text, "smtpd_milters"), spec), true),
                ("non_smtpd_milters", Append(MainCf.Get(text, "non_smtpd_milters"), spec), true),
                ("milter_default_action", "tempfail", true),
                ("milter_protocol", "6", true),
                ("milter_connect_timeout", "30s", true),
                ("milter_command_timeout", "30s", true),
                ("milter_content_timeout", "300s", true),
            ]);
        }, $"filter mail through Postern's milter at {spec} before it is queued ([postfix] milter = yes in postern.conf); tempfail when Postern cannot answer");
        var postfix = PostfixSetupTarget.Program("postfix");
        var postconf = PostfixSetupTarget.Program("postconf");
        plan.Validate("Postfix checks its own configuration", postfix, target.Args("check"));
        plan.Validate("Postfix parses main.cf with the milter settings", postconf, target.Args("-n", "smtpd_milters", "milter_default_action"));
        plan.Activate("a running Postfix takes the new configuration", postfix, target.Args("reload"));
        plan.AfterUninstall("a running Postfix goes back to the old configuration", postfix, target.Args("reload"));
    }

    /// <summary>Postfix's spelling: <c>inet:127.0.0.1:10030</c>, <c>inet:[::1]:10030</c>, <c>unix:/path</c>.</summary>
    public static string PostfixSpec(MilterEndpoint endpoint) => endpoint.EndPoint switch
    {
        IPEndPoint ip when ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 => $"inet:[{ip.Address}]:{ip.Port}",
        IPEndPoint ip => $"inet:{ip.Address}:{ip.Port}",
        _ => "unix:" + endpoint.Path,
    };

    private static string Append(string? existing, string spec)
    {
        var list = (existing ?? "").Split([',', ' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
        return list.Contains(spec, StringComparer.Ordinal) ? existing!.Trim() : string.Join(", ", [.. list, spec]);
    }
}
