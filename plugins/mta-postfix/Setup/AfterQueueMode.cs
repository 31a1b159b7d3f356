using System.Globalization;
using System.Net;
using Postern.Setup;

namespace Postern.Plugins.Mta.Postfix.Setup;

/// <summary>
/// <c>--mode after-queue</c> (Postfix FILTER_README, advanced content filter): main.cf sends every queued message
/// through the <c>scan</c> transport to Postern's listen address; master.cf gets that transport (an SMTP client
/// passing XFORWARD, no MIME conversion) and the reinjection smtpd on Postern's reinject address with every filter
/// and restriction cleared, so mail coming back is neither filtered again nor refused.
/// </summary>
internal sealed class AfterQueueMode : ISetupMode
{
    /// <summary>Postfix processes feeding Postern at once: FILTER_README's 10, never more than Postern accepts.</summary>
    public const int DefaultMaxProc = 10;

    public string Name => "after-queue";

    public string Integration => "postfix";

    public void AddTo(SetupPlan plan, PostfixSetupTarget target)
    {
        var listen = Bracketed(target.Agent.Listen);
        var maxproc = Math.Min(DefaultMaxProc, target.Agent.MaxConnections).ToString(CultureInfo.InvariantCulture);
        plan.EditFile(target.MainCf, current => MainCf.Set(current ?? throw new SetupException($"{target.MainCf} does not exist: not a Postfix configuration directory"),
        [
            ("content_filter", $"scan:{listen}", false),

            // FILTER_README: address mappings happen once, on the reinjection side, not before and after the filter.
            ("receive_override_options", "no_address_mappings", false),
        ]), $"send every queued message through Postern at {listen}");
        plan.EditFile(target.MasterCf, current => MasterCf.Add(current ?? throw new SetupException($"{target.MasterCf} does not exist: not a Postfix configuration directory"),
            MainCf.Marker + " (after-queue content filter: the scan transport and the reinjection smtpd)",
            [ScanTransport(maxproc), ReinjectionSmtpd(target.Agent.Reinject, maxproc)]),
            $"the scan transport to Postern and the smtpd on {target.Agent.Reinject} that takes scanned mail back");
        var postfix = PostfixSetupTarget.Program("postfix");
        var postconf = PostfixSetupTarget.Program("postconf");
        plan.Validate("Postfix checks its own configuration", postfix, target.Args("check"));
        plan.Validate("Postfix parses main.cf with the new settings", postconf, target.Args("-n", "content_filter"));
        plan.Validate("Postfix parses the new master.cf services", postconf, target.Args("-M", "scan/unix"));
        plan.Activate("a running Postfix takes the new configuration", postfix, target.Args("reload"));
        plan.AfterUninstall("a running Postfix goes back to the old configuration", postfix, target.Args("reload"));
    }

    private static string ScanTransport(string maxproc) => $"""
        scan      unix  -       -       n       -       {maxproc}      smtp
          -o smtp_send_xforward_command=yes
          -o disable_mime_output_conversion=yes
          -o smtp_generic_maps=
          -o smtp_tls_security_level=none
          -o smtp_data_done_timeout=600s
        """;

    private static string ReinjectionSmtpd(IPEndPoint reinject, string maxproc) => $"""
        {Service(reinject)} inet  n       -       n       -       {maxproc}      smtpd
          -o content_filter=
          -o receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_milters
          -o smtpd_milters=
          -o smtpd_helo_restrictions=
          -o smtpd_client_restrictions=
          -o smtpd_sender_restrictions=
          -o smtpd_relay_restrictions=
          -o smtpd_recipient_restrictions=permit_mynetworks,reject
          -o smtpd_data_restrictions=
          -o smtpd_end_of_data_restrictions=
          -o smtpd_tls_security_level=none
          -o mynetworks=127.0.0.0/8
          -o smtpd_authorized_xforward_hosts=127.0.0.0/8
        """;

    /// <summary>content_filter's next hop: <c>[127.0.0.1]:10025</c> (brackets: no MX lookup).</summary>
    private static string Bracketed(IPEndPoint e) => $"[{e.Address}]:{e.Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>master.cf's inet service name: <c>127.0.0.1:10026</c>, <c>[::1]:10026</c>.</summary>
    private static string Service(IPEndPoint e) =>
        e.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? Bracketed(e) : $"{e.Address}:{e.Port.ToString(CultureInfo.InvariantCulture)}";
}
