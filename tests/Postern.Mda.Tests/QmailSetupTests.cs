using Postern.Testing;

namespace Postern.Mda.Tests;

/// <summary><c>postern setup qmail</c> on a qmail bin folder: the wrapper queues through Postern and the original
/// (setuid) qmail-queue; uninstall restores bytes, owner and mode.</summary>
public sealed class QmailSetupTests : IDisposable
{
    private readonly Scratch scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public async Task InstallQueuesThroughTheWrapper_AndUninstallRestoresTheSetuidOriginalByteForByte()
    {
        var qmail = scratch.File_("qmail");
        var bin = Path.Combine(qmail, "bin");
        Directory.CreateDirectory(bin);
        var fake = new FakeQmailQueue(scratch);
        var queue = Path.Combine(bin, "qmail-queue");
        File.Copy(fake.Program, queue);
        await RunAsync("chown", "daemon:daemon", queue);
        await RunAsync("chmod", "4711", queue);
        var before = await File.ReadAllBytesAsync(queue, TestContext.Current.CancellationToken);
        var beforeStat = await StatAsync(queue);
        var state = scratch.File_("state");
        string[] setup = ["-c", scratch.Config, "setup", "qmail", "--qmail-dir", qmail, "--postern", Scratch.Postern, "--state-dir", state];

        var dry = await scratch.RunAsync([.. setup, "--dry-run"]);
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Equal(before, await File.ReadAllBytesAsync(queue, TestContext.Current.CancellationToken));

        var r = await scratch.RunAsync(setup);
        Assert.True(r.ExitCode == 0, r.ToString());
        var orig = Path.Combine(bin, "qmail-queue-postern-orig");
        Assert.Equal(before, await File.ReadAllBytesAsync(orig, TestContext.Current.CancellationToken));
        Assert.Equal(beforeStat, await StatAsync(orig));

        // A second run changes nothing (and must not move the wrapper over the original).
        r = await scratch.RunAsync(setup);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(before, await File.ReadAllBytesAsync(orig, TestContext.Current.CancellationToken));

        // qmail-smtpd runs bin/qmail-queue: the wrapper scans and hands over to the original.
        var clean = await QmailHarness.RunAsync(scratch, [queue], Messages.Clean(), QmailHarness.Envelope("s@example.org", "a@example.net"));
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.True(fake.Called);
        File.Delete(fake.MessagePath);
        var virus = await QmailHarness.RunAsync(scratch, [queue], Messages.Infected(), QmailHarness.Envelope("s@example.org", "a@example.net"));
        Assert.True(virus.ExitCode == 82, virus.ToString());
        Assert.False(fake.Called);

        r = await scratch.RunAsync(["setup", "qmail", "--uninstall", "--state-dir", state]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(before, await File.ReadAllBytesAsync(queue, TestContext.Current.CancellationToken));
        Assert.Equal(beforeStat, await StatAsync(queue));
        Assert.False(File.Exists(orig));
    }

    private static async Task<string> StatAsync(string path) => (await RunAsync("stat", "-c", "%a %u:%g", path)).Trim();

    private static async Task<string> RunAsync(string program, params string[] args)
    {
        var r = await ProcessRunner.RunAsync(program, args, TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, $"{program} {string.Join(' ', args)} failed: {r}");
        return r.Stdout;
    }
}
