using System.Diagnostics;
using Postern.Sdk.Scanning;

/// <summary>
/// The "drop from the small to the large database", measured in one process: both databases loaded, the
/// same items scanned with each in alternation, five rounds, the best CPU time of each kept. Alternating keeps a
/// busy neighbour from landing on one side only, which separate runs on this shared 2-core machine could not.
/// </summary>
internal static class Drop
{
    private const int Rounds = 5;

    public static async Task<int> RunAsync(string smallDatabase, string largeDatabase, string mailDirectory)
    {
        var small = BenchEngines.Create(smallDatabase);
        var large = BenchEngines.Create(largeDatabase);
        await small.InitializeAsync(CancellationToken.None);
        await large.InitializeAsync(CancellationToken.None);
        var random = new Random(1);
        var randomItems = new byte[64][];
        for (var i = 0; i < randomItems.Length; i++)
        {
            randomItems[i] = new byte[1 << 20];
            random.NextBytes(randomItems[i]);
        }

        var files = Directory.GetFiles(mailDirectory);
        Array.Sort(files, StringComparer.Ordinal);
        var mail = files.Select(File.ReadAllBytes).ToArray();
        foreach (var (label, items) in new[] { ("random 1 MiB items", randomItems), ("raw mail", mail) })
        {
            var mib = items.Sum(i => (long)i.Length) / 1048576.0;
            double smallBest = double.MaxValue, largeBest = double.MaxValue;
            for (var round = 0; round < Rounds; round++)
            {
                smallBest = Math.Min(smallBest, await CpuSeconds(small, items));
                largeBest = Math.Min(largeBest, await CpuSeconds(large, items));
            }

            Console.WriteLine($"{label}: small {mib / smallBest:F0} MiB per CPU second, large {mib / largeBest:F0}, drop {100 * (1 - (smallBest / largeBest)):F1}%");
        }

        return 0;
    }

    private static async Task<double> CpuSeconds(IScanEngine engine, byte[][] items)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        foreach (var item in items)
        {
            await engine.ScanAsync(new ScanItem("x", item, ScanItemKind.Raw, 0), CancellationToken.None);
        }

        return (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    }
}
