using Postern.Testing;

namespace Postern.Plugins.Mta.Postfix.Tests;

/// <summary>The real <c>postern setup postfix</c> on a copy of Debian's distributed main.cf and master.cf (with a
/// private queue): install, validate with Postfix's own tools, idempotence, uninstall byte for byte. Ports 20120-20129.</summary>
public sealed class SetupTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private PrivatePostfix postfix = null!;
    private string work = null!;
    private string conf = null!;
    private byte[] mainBefore = null!;
    private byte[] masterBefore = null!;

    public ValueTask InitializeAsync()
    {
        postfix = PrivatePostfix.Create(new PrivatePostfixOptions { SmtpPort = 20120, RelayPort = 20121, Name = "postfix-setup" });

        // Debian's main.cf template (what its postinst installs) and master.cf, comments and all, with the private instance's settings after them.
        var privateMain = File.ReadAllText(Path.Combine(postfix.ConfigDirectory, "main.cf"));
        File.WriteAllText(Path.Combine(postfix.ConfigDirectory, "main.cf"), File.ReadAllText("/usr/share/postfix/main.cf.debian") + "\n" + privateMain);
        File.WriteAllText(Path.Combine(postfix.ConfigDirectory, "master.cf"),
            File.ReadAllText("/usr/share/postfix/master.cf.dist").Replace("\nsmtp      inet", "\n127.0.0.1:20120      inet", StringComparison.Ordinal));
        mainBefore = File.ReadAllBytes(Path.Combine(postfix.ConfigDirectory, "main.cf"));
        masterBefore = File.ReadAllBytes(Path.Combine(postfix.ConfigDirectory, "master.cf"));
        work = Directory.CreateTempSubdirectory("postern-setup.").FullName;
        conf = TestConf.Write(work, "postern.conf", 20122, 20123);
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
    public async Task InstallThenUninstall_PostfixAcceptsIt_AndEveryByteComesBack()
    {
        var install = await Setup("--mode", "after-queue");

        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Contains($"postfix -c {postfix.ConfigDirectory} check", install.Stdout, StringComparison.Ordinal);
        Assert.Equal("content_filter = scan:[127.0.0.1]:20122", (await postfix.PostconfAsync("-n", "content_filter")).Stdout.Trim());
        Assert.Contains("smtp_send_xforward_command=yes", (await postfix.PostconfAsync("-M", "scan/unix")).Stdout, StringComparison.Ordinal);
        var reinject = (await postfix.PostconfAsync("-M", "127.0.0.1:20123/inet")).Stdout;
        Assert.Contains("content_filter=", reinject, StringComparison.Ordinal);
        Assert.Contains("smtpd_authorized_xforward_hosts=127.0.0.0/8", reinject, StringComparison.Ordinal);
        Assert.StartsWith(File.ReadAllText("/usr/share/postfix/master.cf.dist")[..200], File.ReadAllText(Path.Combine(postfix.ConfigDirectory, "master.cf")), StringComparison.Ordinal);

        var uninstall = await Setup("--uninstall");

        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.Equal(mainBefore, File.ReadAllBytes(Path.Combine(postfix.ConfigDirectory, "main.cf")));
        Assert.Equal(masterBefore, File.ReadAllBytes(Path.Combine(postfix.ConfigDirectory, "master.cf")));
    }

    [Fact]
    public async Task InstallTwice_SecondRunChangesNothing()
    {
        Assert.Equal(0, (await Setup()).ExitCode);
        var main = File.ReadAllBytes(Path.Combine(postfix.ConfigDirectory, "main.cf"));
        var master = File.ReadAllBytes(Path.Combine(postfix.ConfigDirectory, "master.cf"));

        var again = await Setup();

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("nothing to change", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(main, File.ReadAllBytes(Path.Combine(postfix.ConfigDirectory, "main.cf")));
        Assert.Equal(master, File.ReadAllBytes(Path.Combine(postfix.ConfigDirectory, "master.cf")));
    }

    [Fact]
    public async Task DryRun_PrintsTheDiffAndCommands_ChangesNothing()
    {
        var r = await Setup("--dry-run");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("+content_filter = scan:[127.0.0.1]:20122", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("+scan      unix", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("reload", r.Stdout, StringComparison.Ordinal);
        Assert.Equal(mainBefore, File.ReadAllBytes(Path.Combine(postfix.ConfigDirectory, "main.cf")));
        Assert.Equal(masterBefore, File.ReadAllBytes(Path.Combine(postfix.ConfigDirectory, "master.cf")));
    }

    [Fact]
    public async Task AnotherContentFilterAlreadySet_RefusedAndNothingChanged()
    {
        var main = Path.Combine(postfix.ConfigDirectory, "main.cf");
        File.AppendAllText(main, "content_filter = smtp-amavis:[127.0.0.1]:10024\n");
        var before = File.ReadAllBytes(main);

        var r = await Setup();

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("smtp-amavis", r.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(main));
    }

    [Fact]
    public async Task UnknownMode_UsageError()
    {
        var r = await Setup("--mode", "sideways");

        Assert.Equal(64, r.ExitCode);
        Assert.Contains("after-queue", r.Stderr, StringComparison.Ordinal);
    }
}
