using System.Diagnostics;
using Postern.Plugins.Engine.Signatures.Loading;
using Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// Where a load's memory goes: parses and compiles DATABASE step by step, printing the time, the live managed heap
/// (after a full collection, which the real load does not run, so the figures are for diagnosis only) and the
/// peak RSS after each step.
/// </summary>
internal static class LoadPhases
{
    public static int Run(string database)
    {
        var clock = Stopwatch.StartNew();
        var contents = DatabaseLoader.Load([database], CancellationToken.None);
        Print("parsed", clock);
        var compiled = CompiledDatabase.Compile(contents);
        Print("compiled", clock);
        GC.KeepAlive(compiled);
        return 0;
    }

    private static void Print(string step, Stopwatch clock)
    {
        var elapsed = clock.Elapsed.TotalMilliseconds;
        using var self = Process.GetCurrentProcess();
        var peak = self.PeakWorkingSet64 / 1048576.0;
        var pause = GC.GetTotalPauseDuration().TotalMilliseconds;
        var counts = $"{GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}";
        var live = GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;
        Console.WriteLine($"{step}: {elapsed:F0} ms (GC pauses so far {pause:F0} ms, gen0/1/2 collections {counts}), "
            + $"peak RSS before this collection {peak:F0} MiB, live heap {live:F1} MiB");
        clock.Restart();
    }
}
