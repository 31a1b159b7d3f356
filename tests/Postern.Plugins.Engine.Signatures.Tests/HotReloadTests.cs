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
        var wrong = new ConcurrentQueue<string>();
        var oldBeforeSwap = 0;
        var freshAfterSwap = 0;
        var swapped = 0;
        var stop = new CancellationTokenSource(Patience);

        // Each scanner runs until it has seen the new database after the swap. The bound is time (Patience); the
        // count only guards against a runaway loop. A count small enough to run out before a slow reload finished
        // made this test fail on a loaded CI machine (a scanner stopped before the swap and never saw "New").
        // Only the counts and the wrong answers are kept, so a long run does not pile up results.
        var scanners = Enumerable.Range(0, Scanners).Select(_ => Task.Run(async () =>
        {
            var scans = 0;
            for (; scans < 50_000_000 && !stop.IsCancellationRequested; scans++)
            {
                var afterSwap = Volatile.Read(ref swapped) == 1;
                var names = (await engine.Scan(SwapDatabases.Item)).Findings.Select(f => f.Name).ToArray();
                if (names.SequenceEqual(fresh))
                {
                    if (afterSwap)
                    {
                        Interlocked.Increment(ref freshAfterSwap);
                        return $"saw the new database after {scans + 1} scans";
                    }
                }
                else if (names.SequenceEqual(old))
                {
                    if (afterSwap && wrong.Count < 10)
                    {
                        wrong.Enqueue("the old database answered after the swap");
                    }
                    else if (!afterSwap)
                    {
                        Interlocked.Increment(ref oldBeforeSwap);
                    }
                }
                else if (wrong.Count < 10)
                {
                    wrong.Enqueue($"a scan saw a mixture: {string.Join(", ", names)}");
                }
            }

            return $"stopped after {scans} scans without seeing the new database after the swap";
        }, cancellation)).ToArray();

        await Task.Delay(200, cancellation);
        SwapDatabases.Write(dir.Path, "New");
        Assert.True(await engine.ReloadAsync(cancellation));
        Volatile.Write(ref swapped, 1);
        var endings = await Task.WhenAll(scanners);

        Assert.Empty(wrong);
        Assert.True(oldBeforeSwap > 0, "no scan saw the old database before the swap");
        Assert.All(endings, e => Assert.StartsWith("saw the new database", e, StringComparison.Ordinal));
        Assert.Equal(Scanners, freshAfterSwap);
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
