using System.Diagnostics;
using System.Security.Cryptography;
using Postern.Core.Quarantine;

namespace Postern.Core.Tests.Quarantine;

/// <summary>A real writer process SIGKILLed at random points, again and again; after each kill the store must hold
/// every item the writer was told was stored, each complete, and nothing half-written.</summary>
public sealed class QuarantineKillTests
{
    private const int Kills = 12;

    [Fact]
    public async Task Store_WriterKilledAtRandomPoints_LosesNothingPromisedAndShowsNothingPartial()
    {
        var helper = HelperPath();
        var dir = Directory.CreateTempSubdirectory("postern-kill-").FullName;
        var promised = new Dictionary<string, string>();
        try
        {
            for (var round = 0; round < Kills; round++)
            {
                await RunAndKillAsync(helper, dir, promised);
                await using var store = FileQuarantineStore.Open(dir, TimeProvider.System);
                var items = await store.ListAsync(new QuarantineFilter(), TestContext.Current.CancellationToken);
                var ids = items.Select(i => i.Id).ToHashSet();

                Assert.Superset(promised.Keys.ToHashSet(), ids);
                foreach (var item in items)
                {
                    var message = await store.ReadMessageAsync(item.Id, TestContext.Current.CancellationToken);
                    Assert.NotNull(message);
                    Assert.Equal(item.Sha256, Convert.ToHexStringLower(SHA256.HashData(message)));
                    if (promised.TryGetValue(item.Id, out var sha))
                    {
                        Assert.Equal(sha, item.Sha256);
                    }
                }

                var files = Directory.GetFiles(Path.Combine(dir, "items"));
                Assert.All(files, f => Assert.EndsWith(".pq", f, StringComparison.Ordinal));
                Assert.Equal(ids.Count, files.Length);
            }

            Assert.True(promised.Count >= Kills, $"only {promised.Count} items were written in {Kills} rounds");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task RunAndKillAsync(string helper, string dir, Dictionary<string, string> promised)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(helper);
        start.ArgumentList.Add(dir);
        using var process = Process.Start(start)!;
        var stdout = new List<string>();
        var reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (stdout)
                {
                    stdout.Add(line);
                }
            }
        });

        // Wait for the first write so the kill lands among writes, not during start-up; then kill at a random moment.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            lock (stdout)
            {
                if (stdout.Count > 0)
                {
                    break;
                }
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        await Task.Delay(Random.Shared.Next(1, 400), TestContext.Current.CancellationToken);
        if (process.HasExited)
        {
            Assert.Fail("the writer died on its own: " + await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
        }

        process.Kill();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        await reading;
        foreach (var line in stdout)
        {
            var parts = line.Split(' ');
            if (parts is ["stored", var id, var sha])
            {
                promised[id] = sha;
            }
        }
    }

    private static string HelperPath()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var path = Path.Combine(d.FullName, "artifacts", "test-helpers", "quarantine-writer", "Postern.TestHelpers.QuarantineWriter.dll");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException("the quarantine-writer helper is not built; build tests/Postern.Core.Tests");
    }
}
