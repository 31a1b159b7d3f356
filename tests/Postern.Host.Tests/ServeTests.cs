namespace Postern.Host.Tests;

public sealed class ServeTests
{
    [Fact]
    public async Task Serve_SighupReloadsEngineData_SigtermStopsCleanly()
    {
        var dir = TestFiles.TempDir();
        var db = Path.Combine(dir, "db");
        Directory.CreateDirectory(db);
        await File.WriteAllTextAsync(Path.Combine(db, "a.ndb"), "Test.One:0:*:6f6e652d7369676e6174757265\n", TestContext.Current.CancellationToken);
        var conf = Path.Combine(dir, "postern.conf");

        // The Postfix agent would listen on 127.0.0.1:10025; this test is about reloading, and other tests own that port.
        await File.WriteAllTextAsync(conf, $"[global]\ndatabase_dir = \"{db}\"\n[engine-signatures]\nwatch = no\n[postfix]\nenabled = no\n", TestContext.Current.CancellationToken);

        await using var daemon = Daemon.Start("-c", conf);
        daemon.WaitFor("postern serve ready");
        await File.WriteAllTextAsync(Path.Combine(db, "b.ndb"), "Test.Two:0:*:74776f2d7369676e6174757265\n", TestContext.Current.CancellationToken);
        daemon.Signal(Daemon.SigHup);
        var reloaded = daemon.WaitFor("Engine signatures reloaded");
        await File.WriteAllTextAsync(Path.Combine(db, "c.hdb"), "not a hash line at all\n", TestContext.Current.CancellationToken);
        File.Delete(Path.Combine(db, "a.ndb"));
        Directory.Delete(db, recursive: true);
        daemon.Signal(Daemon.SigHup);
        var failed = daemon.WaitFor("reload failed; its previous data stays in service");
        daemon.Signal(Daemon.SigTerm);
        var code = await daemon.WaitForExitAsync(30);

        Assert.Contains("new data in service", reloaded, StringComparison.Ordinal);
        Assert.Contains("previous data stays in service", failed, StringComparison.Ordinal);
        Assert.Equal(0, code);
    }

    [Theory]
    [InlineData(null, null, "DOTNET_ReadyToRun,DOTNET_GCConserveMemory", "DOTNET_ReadyToRun=0", "DOTNET_GCConserveMemory=3")]
    [InlineData("1", null, "DOTNET_GCConserveMemory", "DOTNET_ReadyToRun=1", "DOTNET_GCConserveMemory=3")]
    [InlineData("1", "7", null, "DOTNET_ReadyToRun=1", "DOTNET_GCConserveMemory=7")]
    public async Task Serve_RestartsItselfInPlaceWithTheDaemonsRuntimeSettings_UnlessTheAdminChose(
        string? readyToRun, string? conserveMemory, string? added, string expectedReadyToRun, string expectedConserveMemory)
    {
        // The daemon execs itself once with DOTNET_ReadyToRun=0 and DOTNET_GCConserveMemory=3, each only where the
        // environment does not set it: the same process, under its own name, with those variables (and the marker
        // naming them) in the environment it was started with. With both set, it runs as started.
        var conf = Path.Combine(TestFiles.TempDir(), "postern.conf");
        await File.WriteAllTextAsync(conf, "[global]\nsyslog_enabled = no\n[postfix]\nenabled = no\n[exim]\nenabled = no\n", TestContext.Current.CancellationToken);
        var environment = new Dictionary<string, string?>
        {
            ["DOTNET_ReadyToRun"] = readyToRun, ["DOTNET_GCConserveMemory"] = conserveMemory, ["POSTERN_SERVE_RESTARTED"] = null,
        };

        await using var daemon = Daemon.Start(environment, "-c", conf);
        daemon.WaitFor("postern serve ready");
        var started = (await File.ReadAllTextAsync($"/proc/{daemon.Id}/environ", TestContext.Current.CancellationToken)).Split('\0');
        var name = (await File.ReadAllTextAsync($"/proc/{daemon.Id}/comm", TestContext.Current.CancellationToken)).Trim();
        daemon.Signal(Daemon.SigTerm);
        var code = await daemon.WaitForExitAsync(30);

        Assert.Equal(added, started.FirstOrDefault(v => v.StartsWith("POSTERN_SERVE_RESTARTED=", StringComparison.Ordinal))?.Split('=')[1]);
        Assert.Contains(expectedReadyToRun, started);
        Assert.Contains(expectedConserveMemory, started);
        Assert.Equal("postern", name);
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task Serve_WarmsUpThroughThePolicyPathBeforeReady_WithoutASummaryLine()
    {
        // One submission more than the scan slots, at once; the quiet dispatcher writes no per-message summary line
        // (the daemon's own writes "QUEUEID: from=<...> ... status=..." for every message).
        var conf = Path.Combine(TestFiles.TempDir(), "postern.conf");
        await File.WriteAllTextAsync(conf, "[global]\nlog_level = debug\nsyslog_enabled = no\nscan_max_concurrent = 2\n[postfix]\nenabled = no\n[exim]\nenabled = no\n",
            TestContext.Current.CancellationToken);

        await using var daemon = Daemon.Start("-c", conf);
        var warm = daemon.WaitFor("warm-up:");
        daemon.WaitFor("postern serve ready");
        daemon.Signal(Daemon.SigTerm);
        await daemon.WaitForExitAsync(30);

        Assert.Contains("warm-up: Clean, 11 items, 3 at once", warm, StringComparison.Ordinal);
        Assert.DoesNotContain("from=<postern@localhost>", daemon.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WarmsUpTheMilterSessionPathIntoTheQuietDispatcher_BeforeReady()
    {
        // The milter agent's warm-up runs the same copies through sessions of its own (a loopback port of its own,
        // not the configured socket) into the quiet dispatcher: no summary line, the agent's socket still free for
        // the daemon to bind when it starts the agents.
        var dir = TestFiles.TempDir();
        var socket = Path.Combine(dir, "milter.sock");
        var conf = Path.Combine(dir, "postern.conf");
        await File.WriteAllTextAsync(conf, "[global]\nlog_level = debug\nsyslog_enabled = no\nscan_max_concurrent = 2\n[postfix]\nenabled = no\n" +
            $"[exim]\nenabled = no\n[sendmail]\nmilter_listen = unix:{socket}\n", TestContext.Current.CancellationToken);

        await using var daemon = Daemon.Start("-c", conf);
        daemon.WaitFor("postern serve ready");
        var bound = File.Exists(socket);
        daemon.Signal(Daemon.SigTerm);
        await daemon.WaitForExitAsync(30);

        Assert.Contains("warm-up: milter (sendmail): 3 at once", daemon.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("warm-up of", daemon.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("from=<postern@localhost>", daemon.Log, StringComparison.Ordinal);
        Assert.True(bound, "the agent's own socket was not bound after the warm-up");
    }

    [Fact]
    public async Task Serve_WarmUpSampleFlaggedByTheDatabase_NotifiesAndQuarantinesNothing()
    {
        // A database of the admin's may well match the built-in sample (here a signature of its text lines); the
        // warm-up must still act on nothing: no av_notify_command, no quarantine copy, no summary line.
        var dir = TestFiles.TempDir();
        var db = Directory.CreateDirectory(Path.Combine(dir, "db")).FullName;
        var quarantine = Path.Combine(dir, "quarantine");
        var notified = Path.Combine(dir, "notified");
        await File.WriteAllTextAsync(Path.Combine(db, "warm.ndb"), $"Test.WarmUpSample:0:*:{Convert.ToHexStringLower("Postern warm-up line"u8)}\n",
            TestContext.Current.CancellationToken);
        var conf = Path.Combine(dir, "postern.conf");
        await File.WriteAllTextAsync(conf, $"[global]\nlog_level = debug\nsyslog_enabled = no\ndatabase_dir = \"{db}\"\n" +
            $"av_quarantine_dir = \"{quarantine}\"\nav_notify_command = \"/usr/bin/touch {notified}\"\n" +
            "[engine-signatures]\nwatch = no\n[postfix]\nenabled = no\n[exim]\nenabled = no\n", TestContext.Current.CancellationToken);

        await using var daemon = Daemon.Start("-c", conf);
        var warm = daemon.WaitFor("warm-up:");
        daemon.WaitFor("postern serve ready");
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        daemon.Signal(Daemon.SigTerm);
        await daemon.WaitForExitAsync(30);

        Assert.Contains("warm-up: Infected", warm, StringComparison.Ordinal);
        Assert.False(File.Exists(notified), "the warm-up ran av_notify_command");
        Assert.True(!Directory.Exists(quarantine) || !Directory.EnumerateFileSystemEntries(quarantine, "*", SearchOption.AllDirectories).Any(f => File.Exists(f)),
            "the warm-up left a quarantine copy");
        Assert.DoesNotContain("from=<postern@localhost>", daemon.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_BadConfiguration_ExitsWithExConfigAndThePlace()
    {
        var conf = Path.Combine(TestFiles.TempDir(), "postern.conf");
        await File.WriteAllTextAsync(conf, "[global]\nscan_timeout = forever\n", TestContext.Current.CancellationToken);

        var r = await Cli.RunAsync(["serve", "-c", conf], timeoutSeconds: 60);

        Assert.Equal(78, r.ExitCode);
        Assert.Contains($"{conf}:2: error:", r.Stderr, StringComparison.Ordinal);
    }
}
