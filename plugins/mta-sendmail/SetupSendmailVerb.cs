using System.Diagnostics;
using System.Text;
using Postern.Protocols.Milter.Agent;
using Postern.Sdk.Cli;
using Postern.Setup;

namespace Postern.Plugins.Mta.Sendmail;

/// <summary>
/// <c>postern setup sendmail [--dry-run] [--uninstall] [--force] [--config-dir DIR] [--socket SPEC] [--m4 PROGRAM]
/// [--sendmail PROGRAM] [--no-reload] [--state-dir DIR]</c>: adds Postern to sendmail.mc as an input mail filter,
/// rebuilds sendmail.cf with m4 (both files backed up and shown as a diff first), checks the new sendmail.cf with
/// <c>sendmail -C FILE -bt</c> (rolling back when it fails), then asks the running sendmail to reload. The socket is
/// the milter agent's own listener (<c>[sendmail] milter_listen</c>) unless <c>--socket</c> says otherwise.
/// Stateless; one call at a time per configuration directory (the setup kit's manifest is the lock).
/// </summary>
internal sealed class SetupSendmailVerb(MilterAgentSettings settings) : ICliVerb
{
    public IReadOnlyList<string> Path => ["setup", "sendmail"];

    public string Description => "add Postern to Sendmail as a milter (sendmail.mc, sendmail.cf); --uninstall undoes it";

    public int FailureExitCode => SetupRunner.Failed;

    public async Task<int> RunAsync(CliInvocation invocation, CancellationToken cancellationToken)
    {
        var options = SetupOptions.Parse(invocation.Arguments, ["--config-dir", "--socket", "--m4", "--sendmail", "--reload"], ["--no-reload"], out var error);
        if (options is null || options.Help)
        {
            (options is null ? invocation.Error : invocation.Output).WriteLine(error is null ? Usage : $"postern setup sendmail: {error}\n{Usage}");
            return options is null ? 64 : 0;
        }

        var runner = new SetupRunner(invocation.Output, invocation.Error, options);
        var reload = options.Flags.Contains("--no-reload") ? null : options.Value("--reload", "service sendmail reload")!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (options.Uninstall)
        {
            return await runner.UninstallAsync(SendmailPluginStartup.AgentName, cancellationToken);
        }

        var dir = options.Value("--config-dir", "/etc/mail")!;
        var mcPath = System.IO.Path.Combine(dir, "sendmail.mc");
        var cfPath = System.IO.Path.Combine(dir, "sendmail.cf");
        if (!File.Exists(mcPath))
        {
            invocation.Error.WriteLine($"postern setup sendmail: {mcPath} not found (is sendmail installed? --config-dir names another folder)");
            return 66;
        }

        string socket;
        if (options.Value("--socket") is { } given)
        {
            socket = given;
        }
        else if (settings.Endpoints.Count > 0)
        {
            socket = SendmailMc.SocketSpec(settings.Endpoints[0]);
        }
        else
        {
            invocation.Error.WriteLine("postern setup sendmail: [sendmail] milter_listen names no endpoint; give --socket");
            return 64;
        }

        var currentMc = await File.ReadAllTextAsync(mcPath, cancellationToken);
        var mc = SendmailMc.AddFilter(currentMc, socket);
        var plan = new SetupPlan(SendmailPluginStartup.AgentName);
        plan.EditFile(mcPath, _ => mc, $"add the Postern milter ({socket}; tempfail when it is unreachable)");

        // m4 stamps the build time into sendmail.cf: when sendmail.mc already has the line and sendmail.cf was built
        // from it, a rerun leaves both alone rather than rebuilding a file that differs only in its date.
        var currentCf = File.Exists(cfPath) ? await File.ReadAllBytesAsync(cfPath, cancellationToken) : null;
        if (mc == currentMc && currentCf is not null && Encoding.UTF8.GetString(currentCf).Contains(SendmailMc.CfLine(socket), StringComparison.Ordinal))
        {
            plan.SetFile(cfPath, currentCf, "sendmail.cf already built with the filter");
            return await runner.InstallAsync(plan, cancellationToken);
        }

        // sendmail.cf is built here, from the edited sendmail.mc, so that its diff is shown and its old bytes backed
        // up like any other file; m4 runs in the configuration folder as Debian's Makefile does.
        var m4 = options.Value("--m4", "m4")!;
        var (exit, cf, m4Error) = await RunM4Async(m4, dir, mc, cancellationToken);
        if (exit != 0)
        {
            invocation.Error.WriteLine($"postern setup sendmail: {m4} failed on the edited sendmail.mc (exit {exit}); nothing was changed:\n{m4Error}");
            return SetupRunner.Failed;
        }

        plan.SetFile(cfPath, Encoding.UTF8.GetBytes(cf), "sendmail.cf rebuilt from sendmail.mc with m4");
        plan.Validate("check that sendmail reads the new sendmail.cf", options.Value("--sendmail", "/usr/sbin/sendmail")!, "-C", cfPath, "-bt", "-d0.1");
        if (reload is { Length: > 0 })
        {
            plan.Activate("reload sendmail", reload[0], reload[1..]);
            plan.AfterUninstall("reload sendmail", reload[0], reload[1..]);
        }

        return await runner.InstallAsync(plan, cancellationToken);
    }

    private static async Task<(int Exit, string Output, string Error)> RunM4Async(string m4, string dir, string input, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(m4)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
        };
        try
        {
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync(ct);
            var error = p.StandardError.ReadToEndAsync(ct);
            await p.StandardInput.WriteAsync(input);
            p.StandardInput.Close();
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(TimeSpan.FromMinutes(1));
            await p.WaitForExitAsync(limit.Token);
            return (p.ExitCode, await output, await error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, "", $"cannot run {m4}: {e.Message}");
        }
    }

    private const string Usage =
        "usage: postern setup sendmail [--dry-run] [--uninstall] [--force] [--config-dir DIR (/etc/mail)] [--socket SPEC]\n"
        + "                              [--m4 PROGRAM] [--sendmail PROGRAM] [--reload 'COMMAND ARGS' | --no-reload] [--state-dir DIR]";
}
