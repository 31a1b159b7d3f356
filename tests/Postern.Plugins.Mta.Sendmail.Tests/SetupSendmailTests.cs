using Postern.Testing;

namespace Postern.Plugins.Mta.Sendmail.Tests;

/// <summary>
/// <c>postern setup sendmail</c> with the real binary on a copy of Debian's own sendmail.mc (from the sendmail-cf
/// package, relocated to the private prefix by the deps hook) and a sendmail.cf built from it by m4: install, rerun,
/// dry run, a failing validation, and uninstall restoring both files byte for byte.
/// </summary>
public sealed class SetupSendmailTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("postern-setup-sendmail-").FullName;
    private readonly string config;
    private readonly string state;
    private readonly string wrapper;
    private readonly byte[] originalMc;
    private readonly byte[] originalCf;

    public SetupSendmailTests()
    {
        config = Path.Combine(dir, "mail");
        state = Path.Combine(dir, "state");
        Directory.CreateDirectory(Path.Combine(config, "m4"));
        File.WriteAllText(Path.Combine(config, "m4", "dialup.m4"), "");
        File.WriteAllText(Path.Combine(config, "m4", "provider.m4"), "");
        var debian = File.ReadAllText(Path.Combine(PrivateSendmail.Prefix, "usr", "share", "sendmail", "cf", "debian", "sendmail.mc"));
        // What this machine lacks of a Debian sendmail install (the smmta user, /etc/mail) is pointed at the copy.
        File.WriteAllText(Path.Combine(config, "local-host-names"), "mx.test\n");
        var mc = debian.Replace("/etc/mail/m4", Path.Combine(config, "m4"), StringComparison.Ordinal)
            .Replace("FEATURE(`use_cw_file')dnl\n", $"FEATURE(`use_cw_file')dnl\ndefine(`confCW_FILE', `{config}/local-host-names')dnl\ndefine(`confTRUSTED_USER', `root')dnl\n", StringComparison.Ordinal)
            + "dnl # a comment of the admin's, kept as it is\n";
        File.WriteAllText(Path.Combine(config, "sendmail.mc"), mc);
        var m4 = PrivateSendmail.RunAsync("sh", ["-c", $"cd '{config}' && m4 sendmail.mc > sendmail.cf"]).GetAwaiter().GetResult();
        Assert.True(m4.Exit == 0, m4.Error);
        originalMc = File.ReadAllBytes(Path.Combine(config, "sendmail.mc"));
        originalCf = File.ReadAllBytes(Path.Combine(config, "sendmail.cf"));

        // sendmail sleeps a minute when it cannot qualify the host name; give the check a qualified one.
        wrapper = Path.Combine(dir, "sendmail");
        File.WriteAllText(wrapper, PrivateSendmail.CanUnshare
            ? $"#!/bin/sh\nexec unshare --uts sh -c 'hostname mx.test && exec \"$0\" \"$@\"' '{PrivateSendmail.Binary}' \"$@\"\n"
            : $"#!/bin/sh\nexec '{PrivateSendmail.Binary}' \"$@\"\n");
        File.SetUnixFileMode(wrapper, (UnixFileMode)Convert.ToInt32("755", 8));
    }

    private Task<(int Exit, string Output, string Error)> SetupAsync(params string[] extra) =>
        PrivateSendmail.RunAsync(PosternDaemon.Executable,
            ["setup", "sendmail", "--config-dir", config, "--state-dir", state, "--sendmail", wrapper, "--no-reload", "--socket", "local:/run/postern/milter.sock", .. extra]);

    [Fact]
    public async Task Install_edits_the_mc_rebuilds_the_cf_and_uninstall_restores_both_byte_for_byte()
    {
        var dry = await SetupAsync("--dry-run");
        Assert.True(dry.Exit == 0, dry.Output + dry.Error);
        Assert.Contains("+INPUT_MAIL_FILTER(`postern', `S=local:/run/postern/milter.sock, F=T, T=C:30s;S:30s;R:2m;E:5m')dnl", dry.Output, StringComparison.Ordinal);
        Assert.Equal(originalMc, File.ReadAllBytes(Path.Combine(config, "sendmail.mc")));
        Assert.Equal(originalCf, File.ReadAllBytes(Path.Combine(config, "sendmail.cf")));

        var install = await SetupAsync();
        Assert.True(install.Exit == 0, install.Output + install.Error);
        var mc = File.ReadAllText(Path.Combine(config, "sendmail.mc"));
        var cf = File.ReadAllText(Path.Combine(config, "sendmail.cf"));
        Assert.Contains("dnl # a comment of the admin's, kept as it is\n", mc, StringComparison.Ordinal);
        var filter = mc.IndexOf("INPUT_MAIL_FILTER(`postern'", StringComparison.Ordinal);
        Assert.InRange(filter, 1, mc.IndexOf("MAILER_DEFINITIONS", StringComparison.Ordinal));
        Assert.Contains("\nXpostern, S=local:/run/postern/milter.sock, F=T, T=C:30s;S:30s;R:2m;E:5m\n", cf, StringComparison.Ordinal);
        Assert.Contains("\nO InputMailFilters=postern\n", cf, StringComparison.Ordinal);

        // Only the filter changed: the rest of the mc is the admin's, line for line.
        Assert.Equal(File.ReadAllText(Path.Combine(config, "sendmail.mc")).Split('\n').Where(l => !l.StartsWith("INPUT_MAIL_FILTER(`postern'", StringComparison.Ordinal) && !l.Contains("Postern virus scanner", StringComparison.Ordinal)),
            System.Text.Encoding.UTF8.GetString(originalMc).Split('\n'));

        var again = await SetupAsync();
        Assert.True(again.Exit == 0, again.Output + again.Error);
        Assert.Contains("nothing to change", again.Output, StringComparison.Ordinal);
        Assert.Equal(cf, File.ReadAllText(Path.Combine(config, "sendmail.cf")));

        var uninstall = await SetupAsync("--uninstall");
        Assert.True(uninstall.Exit == 0, uninstall.Output + uninstall.Error);
        Assert.Equal(originalMc, File.ReadAllBytes(Path.Combine(config, "sendmail.mc")));
        Assert.Equal(originalCf, File.ReadAllBytes(Path.Combine(config, "sendmail.cf")));
    }

    [Fact]
    public async Task A_sendmail_cf_that_sendmail_refuses_is_rolled_back()
    {
        var failing = Path.Combine(dir, "refuse");
        File.WriteAllText(failing, "#!/bin/sh\necho 'sendmail.cf: line 1: bad' >&2\nexit 70\n");
        File.SetUnixFileMode(failing, (UnixFileMode)Convert.ToInt32("755", 8));
        var r = await PrivateSendmail.RunAsync(PosternDaemon.Executable,
            ["setup", "sendmail", "--config-dir", config, "--state-dir", state, "--sendmail", failing, "--no-reload", "--socket", "local:/run/postern/milter.sock"]);
        Assert.NotEqual(0, r.Exit);
        Assert.Equal(originalMc, File.ReadAllBytes(Path.Combine(config, "sendmail.mc")));
        Assert.Equal(originalCf, File.ReadAllBytes(Path.Combine(config, "sendmail.cf")));
    }

    [Fact]
    public async Task The_real_sendmail_accepts_the_rebuilt_cf()
    {
        var install = await SetupAsync();
        Assert.True(install.Exit == 0, install.Output + install.Error);
        Assert.Contains("check that sendmail reads the new sendmail.cf", install.Output, StringComparison.Ordinal);
        var check = await PrivateSendmail.RunAsync(wrapper, ["-C", Path.Combine(config, "sendmail.cf"), "-bt", "-d0.1"]);
        Assert.True(check.Exit == 0, check.Output + check.Error);
    }

    [Fact]
    public void The_mc_edit_is_idempotent_and_keeps_CRLF_files_CRLF()
    {
        const string mc = "include(`cf.m4')dnl\r\nOSTYPE(`linux')dnl\r\nMAILER(`smtp')dnl\r\n";
        var once = SendmailMc.AddFilter(mc, "inet:10030@127.0.0.1");
        Assert.Equal(once, SendmailMc.AddFilter(once, "inet:10030@127.0.0.1"));
        Assert.DoesNotContain("\n", once.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var moved = SendmailMc.AddFilter(once, "local:/run/postern/milter.sock");
        Assert.Single(moved.Split('\n'), l => l.StartsWith("INPUT_MAIL_FILTER", StringComparison.Ordinal));
        Assert.Contains("S=local:/run/postern/milter.sock", moved, StringComparison.Ordinal);
        Assert.EndsWith("INPUT_MAIL_FILTER(`postern', `S=x, F=T, T=C:30s;S:30s;R:2m;E:5m')dnl\n", SendmailMc.AddFilter("FEATURE(`x')dnl", "x"), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(dir, true);
}
