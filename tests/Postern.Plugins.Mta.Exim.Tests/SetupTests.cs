namespace Postern.Plugins.Mta.Exim.Tests;

/// <summary>The real <c>postern setup exim</c> on copies of Debian's exim4-config (split and unsplit) and a plain
/// exim4.conf: install, validation by the real exim -bV -C, idempotence, uninstall restoring identical bytes.</summary>
public sealed class SetupTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "postern-exim-setup-" + Guid.NewGuid().ToString("N")[..8]);

    private string Config => Path.Combine(dir, "exim4");

    public SetupTests()
    {
        Tools.CopyDirectory(Tools.DebianConfig, Config);
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private void WriteDebconf(bool split) => File.WriteAllText(Path.Combine(Config, "update-exim4.conf.conf"),
        "dc_eximconfig_configtype='local'\ndc_other_hostnames='test.local'\ndc_local_interfaces='127.0.0.1'\ndc_readhost=''\n" +
        "dc_relay_domains=''\ndc_minimaldns='false'\ndc_relay_nets=''\ndc_smarthost=''\nCFILEMODE='644'\n" +
        $"dc_use_split_config='{(split ? "true" : "false")}'\ndc_hide_mailname=''\ndc_mailname_in_oh='true'\ndc_localdelivery='maildir_home'\n");

    private Task<(int Code, string Output)> Setup(params string[] extra) => Tools.RunAsync(Tools.Postern,
        ["setup", "exim", "--config-dir", Config, "--state-dir", Path.Combine(dir, "state"), "--exim", Tools.Exim,
         "--update-exim4-conf", Tools.UpdateExim4Conf, "--socket", "/run/postern/clamd.sock", "--no-reload", .. extra]);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DebianLayoutInstallValidatesAndUninstallRestoresEveryByte(bool split)
    {
        WriteDebconf(split);
        var before = Tools.Snapshot(Config);

        var (code, output) = await Setup();
        Assert.True(code == 0, output);
        Assert.Contains("exim -bV -C", output, StringComparison.Ordinal);
        var main = split ? Path.Combine(Config, "conf.d", "main", "02_exim4-config_options") : Path.Combine(Config, "exim4.conf.template");
        var acl = split ? Path.Combine(Config, "conf.d", "acl", "40_exim4-config_check_data") : main;
        Assert.Contains("\nav_scanner = clamd:/run/postern/clamd.sock\n", await File.ReadAllTextAsync(main), StringComparison.Ordinal);
        var aclText = await File.ReadAllTextAsync(acl);
        Assert.Contains("acl_check_data:\n  # BEGIN postern: malware check", aclText, StringComparison.Ordinal);
        Assert.Contains("message = This message contains malware ($malware_name)", aclText, StringComparison.Ordinal);
        Assert.DoesNotContain("defer_ok", aclText, StringComparison.Ordinal);

        // The generated configuration really holds both: Debian's generator, then Exim's own parser.
        var generated = Path.Combine(dir, "generated.conf");
        var (genCode, genOut) = await Tools.RunAsync(Tools.UpdateExim4Conf, ["-d", Config, "-o", generated]);
        Assert.True(genCode == 0, genOut);
        var (bv, bvOut) = await Tools.RunAsync(Tools.Exim, ["-C", generated, "-bP", "av_scanner"]);
        Assert.True(bv == 0, bvOut);
        Assert.Contains("av_scanner = clamd:/run/postern/clamd.sock", bvOut, StringComparison.Ordinal);

        var edited = Tools.Snapshot(Config);
        var (again, againOut) = await Setup();
        Assert.True(again == 0, againOut);
        Assert.Equal(edited, Tools.Snapshot(Config));

        var (un, unOut) = await Setup("--uninstall");
        Assert.True(un == 0, unOut);
        Assert.Equal(before, Tools.Snapshot(Config));
    }

    [Fact]
    public async Task PlainConfigGetsItsOwnDataAclAndComesBackByteForByte()
    {
        var file = Path.Combine(dir, "plain.conf");
        var original = "# the admin's comment\nprimary_hostname = test.local\nav_scanner = clamd:/var/run/clamav/clamd.ctl\n\nbegin routers\n\nlocal:\n  driver = accept\n  transport = t\n\nbegin transports\n\nt:\n  driver = appendfile\n  file = /dev/null\n";
        await File.WriteAllTextAsync(file, original);

        var (code, output) = await Setup("--layout", "plain", "--exim-config", file);
        Assert.True(code == 0, output);
        var text = await File.ReadAllTextAsync(file);
        Assert.Contains("# postern: av_scanner = clamd:/var/run/clamav/clamd.ctl", text, StringComparison.Ordinal);
        Assert.Contains("acl_smtp_data = acl_postern_check_data", text, StringComparison.Ordinal);
        Assert.Contains("begin acl", text, StringComparison.Ordinal);
        Assert.StartsWith("# the admin's comment\n", text, StringComparison.Ordinal);

        var (un, unOut) = await Setup("--uninstall");
        Assert.True(un == 0, unOut);
        Assert.Equal(original, await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task BrokenConfigFailsValidationAndIsRestored()
    {
        var file = Path.Combine(dir, "broken.conf");
        var original = "primary_hostname = test.local\nno_such_option = 1\n";
        await File.WriteAllTextAsync(file, original);

        var (code, output) = await Setup("--layout", "plain", "--exim-config", file);
        Assert.NotEqual(0, code);
        Assert.Contains("restor", output, StringComparison.Ordinal);
        Assert.Equal(original, await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task DryRunChangesNothing()
    {
        WriteDebconf(split: true);
        var before = Tools.Snapshot(Config);
        var (code, output) = await Setup("--dry-run");
        Assert.True(code == 0, output);
        Assert.Contains("+av_scanner = clamd:/run/postern/clamd.sock", output, StringComparison.Ordinal);
        Assert.Equal(before, Tools.Snapshot(Config));
    }
}
