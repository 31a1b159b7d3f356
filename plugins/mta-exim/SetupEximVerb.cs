using Postern.Sdk.Cli;
using Postern.Setup;

namespace Postern.Plugins.Mta.Exim;

/// <summary>
/// <c>postern setup exim</c>: points Exim's malware ACL condition at Postern's clamd server, for Debian's split
/// configuration (<c>conf.d/main/02_exim4-config_options</c> and <c>conf.d/acl/40_exim4-config_check_data</c>), the
/// unsplit one (<c>exim4.conf.template</c>) or a plain <c>exim4.conf</c>; validates the generated configuration with
/// <c>exim -bV -C</c> before anything is activated; <c>--uninstall</c> restores every file byte for byte.
/// </summary>
internal sealed class SetupEximVerb : ICliVerb
{
    private const string Usage =
        "usage: postern setup exim [options]\n" +
        "  --config-dir DIR   Exim's configuration folder (default /etc/exim4)\n" +
        "  --layout L         split, unsplit or plain (default: plain when DIR/exim4.conf exists, else split when\n" +
        "                     update-exim4.conf.conf says dc_use_split_config='true', else unsplit)\n" +
        "  --exim-config FILE with --layout plain: the file (default DIR/exim4.conf)\n" +
        "  --socket PATH      Postern's clamd socket (default /run/postern/clamd.sock)\n" +
        "  --exim PATH        the exim binary for validation (default exim4)\n" +
        "  --update-exim4-conf PATH  Debian's generator (default update-exim4.conf)\n" +
        "  --no-reload        do not regenerate and reload the running Exim\n" +
        SetupOptions.CommonUsage;

    public IReadOnlyList<string> Path { get; } = ["setup", "exim"];

    public string Description => "point Exim's malware ACL at Postern's clamd server (Debian split/unsplit or exim4.conf)";

    public async Task<int> RunAsync(CliInvocation invocation, CancellationToken cancellationToken)
    {
        var options = SetupOptions.Parse(invocation.Arguments,
            ["--config-dir", "--layout", "--exim-config", "--socket", "--exim", "--update-exim4-conf"], ["--no-reload"], out var error);
        if (options is null)
        {
            await invocation.Error.WriteLineAsync($"postern setup exim: {error}\n{Usage}");
            return 64;
        }

        if (options.Help)
        {
            await invocation.Output.WriteAsync(Usage);
            return 0;
        }

        var runner = new SetupRunner(invocation.Output, invocation.Error, options);
        if (options.Uninstall)
        {
            return await runner.UninstallAsync("exim", cancellationToken);
        }

        SetupPlan plan;
        try
        {
            plan = BuildPlan(options);
        }
        catch (SetupException e)
        {
            await invocation.Error.WriteLineAsync($"postern setup exim: {e.Message}");
            return SetupRunner.Failed;
        }

        return await runner.InstallAsync(plan, cancellationToken);
    }

    internal static SetupPlan BuildPlan(SetupOptions options)
    {
        var dir = System.IO.Path.GetFullPath(options.Value("--config-dir", "/etc/exim4")!);
        var socket = options.Value("--socket", "/run/postern/clamd.sock")!;
        if (socket.Contains(':', StringComparison.Ordinal) || socket.Any(char.IsWhiteSpace))
        {
            throw new SetupException($"--socket {socket}: Exim's clamd option cannot take a path with ':' or spaces");
        }

        var exim = options.Value("--exim", "exim4")!;
        var generator = options.Value("--update-exim4-conf", "update-exim4.conf")!;
        var layout = options.Value("--layout") ?? DetectLayout(dir, options.Value("--exim-config"));
        var reload = !options.Flags.Contains("--no-reload");
        var plan = new SetupPlan("exim");
        const string why = "Exim's malware ACL condition asks Postern's clamd server; no defer_ok, so a scanner failure defers";
        switch (layout)
        {
            case "plain":
            {
                var file = options.Value("--exim-config") ?? System.IO.Path.Combine(dir, "exim4.conf");
                plan.EditFile(file, t => WholeConfig(t ?? throw new SetupException($"{file} does not exist"), socket), why);
                plan.Validate("check the new configuration", exim, "-bV", "-C", file);
                if (reload)
                {
                    plan.Activate("reload Exim", "systemctl", "reload", "exim4");
                    plan.AfterUninstall("reload Exim", "systemctl", "reload", "exim4");
                }

                break;
            }

            case "unsplit":
            {
                var file = System.IO.Path.Combine(dir, "exim4.conf.template");
                plan.EditFile(file, t => WholeConfig(t ?? throw new SetupException($"{file} does not exist"), socket), why);
                AddDebianCommands(plan, dir, exim, generator, reload);
                break;
            }

            case "split":
            {
                var main = System.IO.Path.Combine(dir, "conf.d", "main", "02_exim4-config_options");
                var acl = System.IO.Path.Combine(dir, "conf.d", "acl", "40_exim4-config_check_data");
                plan.EditFile(main, t => EximConfigEditor.EditMain(t ?? throw new SetupException($"{main} does not exist"), socket),
                    "av_scanner: " + why);
                plan.EditFile(acl, t => EximConfigEditor.EditDataAcl(t ?? throw new SetupException($"{acl} does not exist"), "acl_check_data")
                    ?? throw new SetupException($"{acl} has no acl_check_data: ACL"), "deny malware = * in the DATA ACL");
                AddDebianCommands(plan, dir, exim, generator, reload);
                break;
            }

            default:
                throw new SetupException($"--layout {layout}: expected split, unsplit or plain");
        }

        return plan;
    }

    /// <summary>Debian generates the running configuration from the template or conf.d: validate what the generator
    /// makes of the edited files, then regenerate and reload.</summary>
    private static void AddDebianCommands(SetupPlan plan, string dir, string exim, string generator, bool reload)
    {
        // $0..$3 are arguments, never parsed by the shell: no path is interpolated into the script.
        const string script = "t=$(mktemp) && \"$0\" -d \"$1\" -o \"$t\" && \"$2\" -bV -C \"$t\"; rc=$?; rm -f \"$t\"; exit $rc";
        plan.Validate("generate the configuration from the edited files and check it with exim -bV -C", "/bin/sh", "-c", script, generator, dir, exim);
        if (reload)
        {
            plan.Preserve("/var/lib/exim4/config.autogenerated", "update-exim4.conf rewrites it");
            plan.Activate("regenerate Exim's configuration", generator, "-d", dir);
            plan.Activate("reload Exim", "systemctl", "reload", "exim4");
            plan.AfterUninstall("regenerate Exim's configuration", generator, "-d", dir);
            plan.AfterUninstall("reload Exim", "systemctl", "reload", "exim4");
        }
    }

    internal static string WholeConfig(string text, string socket)
    {
        var edited = EximConfigEditor.EditMain(text, socket);
        var lines = edited.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (EximConfigEditor.DataAclName(lines) is null)
        {
            return EximConfigEditor.AddDataAcl(edited);
        }

        return EximConfigEditor.EditDataAcl(edited, "acl_check_data")
            ?? throw new SetupException($"the DATA ACL named by acl_smtp_data ({EximConfigEditor.DataAclName(lines)}) is not defined in this file");
    }

    private static string DetectLayout(string dir, string? config)
    {
        if (config is not null || File.Exists(System.IO.Path.Combine(dir, "exim4.conf")))
        {
            return "plain";
        }

        var conf = System.IO.Path.Combine(dir, "update-exim4.conf.conf");
        var split = File.Exists(conf) && File.ReadLines(conf).Any(l =>
            l.Replace(" ", "", StringComparison.Ordinal).StartsWith("dc_use_split_config='true'", StringComparison.OrdinalIgnoreCase));
        if (split && Directory.Exists(System.IO.Path.Combine(dir, "conf.d")))
        {
            return "split";
        }

        if (File.Exists(System.IO.Path.Combine(dir, "exim4.conf.template")))
        {
            return "unsplit";
        }

        throw new SetupException($"no Exim configuration in {dir} (exim4.conf, exim4.conf.template or conf.d); give --config-dir or --exim-config");
    }
}
