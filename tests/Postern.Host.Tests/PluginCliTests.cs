using System.Text;

namespace Postern.Host.Tests;

/// <summary>The plugin host seen from the command line, with the real misbehaving test plugins loaded through
/// <c>[global] plugin_dir</c>.</summary>
public sealed class PluginCliTests
{
    private static string TestPlugins => Path.Combine(Cli.RepoRoot, "artifacts", "test-plugins");

    private static string Config(string extra = "")
    {
        var path = Path.Combine(TestFiles.TempDir(), "postern.conf");
        File.WriteAllText(path, $"[global]\nplugin_dir = \"{TestPlugins}\"\nengine_timeout = 1s\n{extra}");
        return path;
    }

    [Fact]
    public async Task PluginsList_ShowsEveryStateWithItsReason()
    {
        var r = await Cli.RunAsync(["plugins", "list", "-c", Config()]);

        Assert.True(r.ExitCode == 0, r.ToString());
        string Row(string id) => Assert.Single(r.Lines, l => l.StartsWith(id + " ", StringComparison.Ordinal));
        Assert.Contains(" Active ", Row("engine-signatures"), StringComparison.Ordinal);
        Assert.Contains(" Active ", Row("good-engine"), StringComparison.Ordinal);
        Assert.Matches(@"NotSupported\s+.*1\.9", Row("newer-sdk"));
        Assert.Matches(@"NotSupported\s+.*outside", Row("traversal"));
        Assert.Contains(" Malfunctioned ", Row("init-failing-engine"), StringComparison.Ordinal);
        Assert.Contains(" Malfunctioned ", Row("startup-throws"), StringComparison.Ordinal);
        Assert.Contains("[warn]", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PluginsList_DisabledInConfig_IsDisabled()
    {
        var r = await Cli.RunAsync(["plugins", "list", "-c", Config("[good-engine]\nenabled = no\n")]);

        Assert.Contains(" Disabled ", Assert.Single(r.Lines, l => l.StartsWith("good-engine ", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PluginVerb_RunsWithItsArguments()
    {
        var r = await Cli.RunAsync(["-c", Config("[hanging-engine]\nenabled = no\n"), "test-verb", "hello", "world"]);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("hello world", r.Lines.Last());
    }

    [Fact]
    public async Task PluginVerb_BrokenConfig_ExitsWithExConfigAndThePlace()
    {
        var bad = Config("scan_timeout = \"unterminated\n");

        var r = await Cli.RunAsync(["-c", bad, "test-verb", "hello"]);

        Assert.Equal(78, r.ExitCode);
        Assert.Contains($"{bad}:4: error:", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hello", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_ThrowingEngineBesideGoodEngine_FindingStillReportedCleanFileNotScanned()
    {
        var dir = TestFiles.TempDir();
        var marked = Path.Combine(dir, "marked.txt");
        var clean = Path.Combine(dir, "clean.txt");
        await File.WriteAllTextAsync(marked, "x POSTERN-TEST-MARKER x", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(clean, "nothing here", TestContext.Current.CancellationToken);

        var r = await Cli.RunAsync(["scan", "--no-summary", "-c", Config("[hanging-engine]\nenabled = no\n"), marked, clean]);

        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Equal($"{marked}: Postern-Test-Marker FOUND", r.Lines[0]);
        Assert.StartsWith($"{clean}: Not scanned (", r.Lines[1], StringComparison.Ordinal);
        Assert.Contains("throwing", r.Lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_HangingEngine_GivesNotScannedWithinItsBudget()
    {
        var file = Path.Combine(TestFiles.TempDir(), "f.txt");
        await File.WriteAllBytesAsync(file, Encoding.ASCII.GetBytes("plain text"), TestContext.Current.CancellationToken);

        var r = await Cli.RunAsync(["scan", "--no-summary", "-c", Config("[throwing-engine]\nenabled = no\n"), file], timeoutSeconds: 60);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("hanging: timed out", Assert.Single(r.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigCheck_ReportsFileAndLineAndFailsOnErrors()
    {
        var bad = Path.Combine(TestFiles.TempDir(), "bad.conf");
        await File.WriteAllTextAsync(bad, "[global]\nscan_timeout = soon\nscan_max_dept = 3\n[nosuch-plugin]\nx = 1\n", TestContext.Current.CancellationToken);

        var r = await Cli.RunAsync(["config", "check", bad]);
        var good = await Cli.RunAsync(["config", "check", Config()]);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"{bad}:2: error: [global] scan_timeout: 'soon' is not a duration", r.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{bad}:3: error: [global] scan_max_dept: unknown setting; did you mean 'scan_max_depth'?", r.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{bad}:4: warning: [nosuch-plugin]", r.Stderr, StringComparison.Ordinal);
        Assert.True(good.ExitCode == 0, good.ToString());
    }

    [Fact]
    public async Task Scan_BadConfig_IsRefusedWithThePlace()
    {
        var bad = Path.Combine(TestFiles.TempDir(), "bad.conf");
        await File.WriteAllTextAsync(bad, "[global]\ndatabase_dir = \"unterminated\n", TestContext.Current.CancellationToken);

        var r = await Cli.RunAsync(["scan", "-c", bad, "samples/mail"]);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{bad}:2: error: database_dir: unterminated quoted value", r.Stderr, StringComparison.Ordinal);
    }
}
