using Postern.Testing;

namespace Postern.Plugins.Mta.Postfix.Tests;

/// <summary>The real <c>postern setup postfix --mode milter</c> on Debian's main.cf template that already has a milter
/// of the admin's: Postern's is appended, Postfix's own tools accept the result, a rerun changes nothing, uninstall
/// restores every byte. Ports 22130-22139.</summary>
public sealed class MilterSetupTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private PrivatePostfix postfix = null!;
    private string work = null!;
    private string conf = null!;
    private byte[] mainBefore = null!;
    private byte[] masterBefore = null!;

    public ValueTask InitializeAsync()
    {
        postfix = PrivatePostfix.Create(new PrivatePostfixOptions { SmtpPort = 22130, RelayPort = 22131, Name = "postfix-milter-setup" });
        var privateMain = File.ReadAllText(Path.Combine(postfix.ConfigDirectory, "main.cf"));
        File.WriteAllText(Path.Combine(postfix.ConfigDirectory, "main.cf"), File.ReadAllText("/usr/share/postfix/main.cf.debian") + "\n" + privateMain
            + "# the admin's DKIM signer\nsmtpd_milters = inet:127.0.0.1:8891\n");
        mainBefore = File.ReadAllBytes(Path.Combine(postfix.ConfigDirectory, "main.cf"));
        masterBefore = File.ReadAllBytes(Path.Combine(postfix.ConfigDirectory, "master.cf"));
        work = Directory.CreateTempSubdirectory("postern-milter-setup.").FullName;
        conf = TestConf.Write(work, "postern.conf", 22133, 22134);
        File.AppendAllText(conf, "milter = yes\nmilter_listen = inet:127.0.0.1:22132\n");
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await postfix.DisposeAsync();
        Directory.Delete(work, recursive: true);
    }

    private Task<ProcessResult> Setup(params string[] extra) =>
        PosternDaemon.RunAsync(["-c", conf, "setup", "postfix", "--config-dir", postfix.ConfigDirectory, "--state-dir", Path.Combine(work, "state"), .. extra], Timeout);

    [Fact]
    public async Task Install_appends_to_the_admins_milters_Postfix_accepts_it_and_uninstall_restores_every_byte()
    {
        var dry = await Setup("--mode", "milter", "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Equal(mainBefore, File.ReadAllBytes(Path.Combine(postfix.ConfigDirectory, "main.cf")));

        var install = await Setup("--mode", "milter");
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Equal("smtpd_milters = inet:127.0.0.1:8891, inet:127.0.0.1:22132", (await postfix.PostconfAsync("-n", "smtpd_milters")).Stdout.Trim());
        Assert.Equal("non_smtpd_milters = inet:127.0.0.1:22132", (await postfix.PostconfAsync("-n", "non_smtpd_milters")).Stdout.Trim());
        var defaults = (await postfix.PostconfAsync("-h", "milter_default_action", "milter_protocol", "milter_connect_timeout", "milter_command_timeout", "milter_content_timeout")).Stdout;
        Assert.Equal(["tempfail", "6", "30s", "30s", "300s"], defaults.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("# the admin's DKIM signer", File.ReadAllText(Path.Combine(postfix.ConfigDirectory, "main.cf")), StringComparison.Ordinal);
        Assert.Equal(masterBefore, File.ReadAllBytes(Path.Combine(postfix.ConfigDirectory, "master.cf")));

        var again = await Setup("--mode", "milter");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("nothing to change", again.Stdout, StringComparison.Ordinal);

        var uninstall = await Setup("--mode", "milter", "--uninstall");
        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.Equal(mainBefore, File.ReadAllBytes(Path.Combine(postfix.ConfigDirectory, "main.cf")));
        Assert.Equal(masterBefore, File.ReadAllBytes(Path.Combine(postfix.ConfigDirectory, "master.cf")));
    }
}
