using System.Collections.Concurrent;
using System.Diagnostics;
using Postern.Plugins.Engine.Signatures.Tests.Support;
using Postern.Sdk.Scanning;

namespace Postern.Plugins.Engine.Signatures.Tests;

public sealed class HotReloadTests
{
    private const int Scanners = 4;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Reload_WhileScanning_EveryScanSeesOneWholeDatabaseAndTheNewOneAfterwards()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        SwapDatabases.Write(dir.Path, "Old");
        var engine = await Loaded(dir.Path);
        var old = SwapDatabases.Names("Old");
        var fresh = SwapDatabases.Names("New");
        var results = new ConcurrentBag<(bool AfterSwap, string[] Names)>();
        var swapped = 0;
        var stop = new CancellationTokenSource(Patience);

        var scanners = Enumerable.Range(0, Scanners).Select(_ => Task.Run(async () =>
        {
            var sawNew = false;
            for (var i = 0; i < 100_000 && !stop.IsCancellationRequested && !sawNew; i++)
            {
                var afterSwap = Volatile.Read(ref swapped) == 1;
                var names = (await engine.Scan(SwapDatabases.Item)).Findings.Select(f => f.Name).ToArray();
                results.Add((afterSwap, names));
                sawNew = afterSwap && names.SequenceEqual(fresh);
            }
        }, cancellation)).ToArray();

        await Task.Delay(200, cancellation);
        SwapDatabases.Write(dir.Path, "New");
        Assert.True(await engine.ReloadAsync(cancellation));
        Volatile.Write(ref swapped, 1);
        await Task.WhenAll(scanners);

        Assert.All(results, r => Assert.True(r.Names.SequenceEqual(old) || r.Names.SequenceEqual(fresh),
            $"a scan saw a mixture: {string.Join(", ", r.Names)}"));
        Assert.All(results.Where(r => r.AfterSwap), r => Assert.Equal(fresh, r.Names));
        Assert.Contains(results, r => !r.AfterSwap && r.Names.SequenceEqual(old));
        Assert.Equal(Scanners, results.Count(r => r.AfterSwap && r.Names.SequenceEqual(fresh)));
    }

    [Fact]
    public async Task Reload_NothingChanged_ReturnsFalse()
    {
        using var dir = new TempDirectory();
        SwapDatabases.Write(dir.Path, "Old");
        var engine = await Loaded(dir.Path);

        Assert.False(await engine.ReloadAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Reload_BrokenDatabase_KeepsTheOldInServiceAndSaysWhy()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        SwapDatabases.Write(dir.Path, "Old");
        var engine = await Loaded(dir.Path);
        var container = dir.Write("daily.cud", TestContainer.Build([("x.ndb", "X:0:*:414243\n"u8.ToArray())], 7, md5: new string('0', 32)));

        var error = await Assert.ThrowsAsync<SignatureDatabaseException>(() => engine.ReloadAsync(cancellation).AsTask());

        Assert.Contains($"{container}: the body's MD5 is", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("Reload failed, the previous database stays in service", error.Message, StringComparison.Ordinal);
        Assert.Equal(EngineState.Ready, engine.Status.State);
        Assert.Contains("reload failed", engine.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(SwapDatabases.Names("Old"), (await engine.Scan(SwapDatabases.Item)).Findings.Select(f => f.Name));

        File.WriteAllBytes(container, TestContainer.Build([("x.ndb", "X:0:*:414243\n"u8.ToArray())], 8));
        Assert.True(await engine.ReloadAsync(cancellation));
        Assert.Equal("daily 8", engine.Status.DatabaseVersion);
        Assert.DoesNotContain("reload failed", engine.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_FilesRenamedIntoPlace_AreReloadedByThemselves()
    {
        using var dir = new TempDirectory();
        SwapDatabases.Write(dir.Path, "Old");
        var engine = await Loaded(dir.Path, watch: true);

        SwapDatabases.Write(dir.Path, "New");

        var clock = Stopwatch.StartNew();
        while (!(await engine.Scan(SwapDatabases.Item)).Findings.Select(f => f.Name).SequenceEqual(SwapDatabases.Names("New")))
        {
            Assert.True(clock.Elapsed < Patience, $"the change was not picked up; status: {engine.Status.Detail}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Watch_No_LeavesChangedFilesAlone()
    {
        using var dir = new TempDirectory();
        SwapDatabases.Write(dir.Path, "Old");
        var engine = await Loaded(dir.Path, watch: false);

        SwapDatabases.Write(dir.Path, "New");
        await Task.Delay(SignatureEngineOptions.DefaultQuiet * 3, TestContext.Current.CancellationToken);

        Assert.Equal(SwapDatabases.Names("Old"), (await engine.Scan(SwapDatabases.Item)).Findings.Select(f => f.Name));
        Assert.True(await engine.ReloadAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Settings_BadWatchValue_IsRefusedWithTheKey()
    {
        var error = Assert.Throws<SignatureDatabaseException>(() => EngineFactory.Create(new Dictionary<string, string> { ["watch"] = "maybe" }));

        Assert.Contains("watch = maybe", error.Message, StringComparison.Ordinal);
    }

    private static async Task<IReloadableEngine> Loaded(string database, bool watch = false)
    {
        var engine = (IReloadableEngine)EngineFactory.Create(new Dictionary<string, string>
        {
            ["database"] = database,
            ["watch"] = watch ? "yes" : "no",
        });
        await engine.InitializeAsync(TestContext.Current.CancellationToken);
        return engine;
    }
}
