using System.Runtime.Versioning;

namespace Postern.Setup.Tests;

[SupportedOSPlatform("linux")]
public sealed class SetupRunnerTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("postern-setup-tests-").FullName;
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();

    private string Etc => Path.Combine(root, "etc");

    private string State => Path.Combine(root, "state");

    public SetupRunnerTests() => Directory.CreateDirectory(Etc);

    public void Dispose() => Directory.Delete(root, recursive: true);

    private SetupRunner Runner(bool dryRun = false, bool force = false) =>
        new(output, error, new SetupOptions { DryRun = dryRun, Force = force, StateDirectory = State });

    private static SetupPlan AddLine(string path, string line) =>
        new SetupPlan("demo").EditFile(path, t => (t ?? "").Contains(line, StringComparison.Ordinal) ? t! : (t ?? "") + line + "\n", "add the line");

    [Fact]
    public async Task Install_ThenUninstall_RestoresBytesAndMode()
    {
        var conf = Path.Combine(Etc, "main.cf");
        var original = "# the admin's comment\r\nmyhostname = mx.example\n\u00e9t\u00e9 = 1\n"u8.ToArray();
        File.WriteAllBytes(conf, original);
        File.SetUnixFileMode(conf, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var created = Path.Combine(Etc, "postern.cf");

        var plan = AddLine(conf, "content_filter = scan:[127.0.0.1]:10025")
            .SetFile(created, "new file\n"u8.ToArray(), "create it");
        Assert.Equal(0, await Runner().InstallAsync(plan, TestContext.Current.CancellationToken));

        Assert.EndsWith("content_filter = scan:[127.0.0.1]:10025\n", File.ReadAllText(conf), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(conf));
        Assert.True(File.Exists(created));
        Assert.True(File.Exists(Path.Combine(State, "demo", "manifest.json")));
        Assert.Contains("+content_filter = scan:[127.0.0.1]:10025", output.ToString(), StringComparison.Ordinal);

        Assert.Equal(0, await Runner().UninstallAsync("demo", TestContext.Current.CancellationToken));
        Assert.Equal(original, File.ReadAllBytes(conf));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(conf));
        Assert.False(File.Exists(created));
        Assert.False(Directory.Exists(Path.Combine(State, "demo")));
        Assert.Empty(Directory.GetFiles(Etc, ".*")); // no temporary file left behind
    }

    [Fact]
    public async Task DryRun_PrintsTheDiffAndCommands_ChangesNothing()
    {
        var conf = Path.Combine(Etc, "main.cf");
        File.WriteAllText(conf, "a = 1\n");
        var plan = AddLine(conf, "b = 2").Validate("check it", "true").Activate("reload", "true", "reload");
        Assert.Equal(0, await Runner(dryRun: true).InstallAsync(plan, TestContext.Current.CancellationToken));
        Assert.Equal("a = 1\n", File.ReadAllText(conf));
        Assert.False(Directory.Exists(State));
        var text = output.ToString();
        Assert.Contains("+b = 2", text, StringComparison.Ordinal);
        Assert.Contains(" a = 1", text, StringComparison.Ordinal);
        Assert.Contains("then run (must succeed): true", text, StringComparison.Ordinal);
        Assert.Contains("then run: true reload", text, StringComparison.Ordinal);
        Assert.Contains("dry run: nothing was changed", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedValidation_RestoresEverything()
    {
        var conf = Path.Combine(Etc, "main.cf");
        File.WriteAllText(conf, "a = 1\n");
        var plan = AddLine(conf, "b = 2").Validate("check it", "sh", "-c", "echo 'fatal: bad b' >&2; exit 3");
        Assert.Equal(SetupRunner.Failed, await Runner().InstallAsync(plan, TestContext.Current.CancellationToken));
        Assert.Equal("a = 1\n", File.ReadAllText(conf));
        Assert.False(File.Exists(Path.Combine(State, "demo", "manifest.json")));
        Assert.Contains("validation failed", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("fatal: bad b", output.ToString() + error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondInstall_IsANoOp_ButADifferentOneIsRefused()
    {
        var conf = Path.Combine(Etc, "main.cf");
        File.WriteAllText(conf, "a = 1\n");
        Assert.Equal(0, await Runner().InstallAsync(AddLine(conf, "b = 2"), TestContext.Current.CancellationToken));
        var after = File.ReadAllBytes(conf);
        Assert.Equal(0, await Runner().InstallAsync(AddLine(conf, "b = 2"), TestContext.Current.CancellationToken));
        Assert.Contains("already installed", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(SetupRunner.Failed, await Runner().InstallAsync(AddLine(conf, "c = 3"), TestContext.Current.CancellationToken));
        Assert.Contains("--uninstall", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(after, File.ReadAllBytes(conf));
    }

    [Fact]
    public async Task Uninstall_RefusesFilesEditedSince_UnlessForced()
    {
        var conf = Path.Combine(Etc, "main.cf");
        File.WriteAllText(conf, "a = 1\n");
        Assert.Equal(0, await Runner().InstallAsync(AddLine(conf, "b = 2"), TestContext.Current.CancellationToken));
        File.AppendAllText(conf, "admin = edit\n");
        Assert.Equal(SetupRunner.Failed, await Runner().UninstallAsync("demo", TestContext.Current.CancellationToken));
        Assert.Contains("changed since setup wrote them", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("admin = edit", File.ReadAllText(conf), StringComparison.Ordinal);
        Assert.Equal(0, await Runner(force: true).UninstallAsync("demo", TestContext.Current.CancellationToken));
        Assert.Equal("a = 1\n", File.ReadAllText(conf));
    }

    [Fact]
    public async Task PreservedFile_RewrittenByACommand_IsRestoredAndAfterUninstallRuns()
    {
        var cf = Path.Combine(Etc, "sendmail.cf");
        var mc = Path.Combine(Etc, "sendmail.mc");
        File.WriteAllText(cf, "old cf\n");
        File.WriteAllText(mc, "old mc\n");
        var marker = Path.Combine(root, "after-uninstall-ran");
        var plan = AddLine(mc, "INPUT_MAIL_FILTER(`postern')")
            .Preserve(cf, "rebuilt from sendmail.mc")
            .Validate("rebuild", "sh", "-c", "cat \"$0\" > \"$1\"", mc, cf)
            .AfterUninstall("mark", "touch", marker);
        Assert.Equal(0, await Runner().InstallAsync(plan, TestContext.Current.CancellationToken));
        Assert.Contains("INPUT_MAIL_FILTER", File.ReadAllText(cf), StringComparison.Ordinal);
        Assert.Equal(0, await Runner().UninstallAsync("demo", TestContext.Current.CancellationToken));
        Assert.Equal("old cf\n", File.ReadAllText(cf));
        Assert.Equal("old mc\n", File.ReadAllText(mc));
        Assert.True(File.Exists(marker));
        Assert.Contains("$ touch", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditThatRefuses_ChangesNothing()
    {
        var conf = Path.Combine(Etc, "main.cf");
        File.WriteAllText(conf, "content_filter = amavis:[127.0.0.1]:10024\n");
        var plan = new SetupPlan("demo").EditFile(conf, _ => throw new SetupException("content_filter is already set to amavis:[127.0.0.1]:10024"), "x");
        Assert.Equal(SetupRunner.Failed, await Runner().InstallAsync(plan, TestContext.Current.CancellationToken));
        Assert.Contains("already set to amavis", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(State));
    }

    [Fact]
    public async Task Uninstall_WhenNotInstalled_SaysSo()
    {
        Assert.Equal(SetupRunner.Failed, await Runner().UninstallAsync("demo", TestContext.Current.CancellationToken));
        Assert.Contains("not installed", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnwritableStateDirectory_ChangesNothing()
    {
        var conf = Path.Combine(Etc, "main.cf");
        File.WriteAllText(conf, "a = 1\n");
        File.WriteAllText(State, "a file where the state folder should be");
        Assert.Equal(SetupRunner.CannotCreate, await Runner().InstallAsync(AddLine(conf, "b = 2"), TestContext.Current.CancellationToken));
        Assert.Equal("a = 1\n", File.ReadAllText(conf));
    }

    [Fact]
    public void Diff_ShowsOnlyHunksAroundChanges()
    {
        var before = string.Concat(Enumerable.Range(1, 40).Select(i => $"line {i}\n"));
        var after = before.Replace("line 5\n", "line 5 changed\n", StringComparison.Ordinal).Replace("line 35\n", "", StringComparison.Ordinal);
        var diff = LineDiff.Unified("/etc/x", before, after);
        Assert.Equal(2, diff.Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)));
        Assert.Contains("-line 5\n+line 5 changed\n", diff, StringComparison.Ordinal);
        Assert.Contains("-line 35\n", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("line 20", diff, StringComparison.Ordinal);
    }
}
