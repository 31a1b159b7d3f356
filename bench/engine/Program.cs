using System.Diagnostics;
using System.Runtime;
using Postern.Plugins.Engine.Signatures;
using Postern.Sdk.Scanning;

// Usage: Postern.Bench.Engine DATABASE [MAIL_DIR] [THREADS]
//        Postern.Bench.Engine drop SMALL_DATABASE LARGE_DATABASE MAIL_DIR   (see Drop.cs)
//        Postern.Bench.Engine load DATABASE                                 (see LoadPhases.cs)
// Loads DATABASE (files or directories, comma-separated) through the plugin's own startup, then scans 256 MiB of
// random bytes, 64 MiB of random items of 500 to 40,000 bytes (the sizes of decoded attachments that hash
// signatures name) and, when given, every file of MAIL_DIR as raw items; prints load time, prefilter pass rates,
// MiB/s (best of three runs, CPU time, as neighbours share the machine) and findings.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: Postern.Bench.Engine DATABASE [MAIL_DIR] [THREADS]");
    return 2;
}

if (args[0] == "load" && args.Length == 2)
{
    return LoadPhases.Run(args[1]);
}

if (args[0] == "drop" && args.Length == 4)
{
    return await Drop.RunAsync(args[1], args[2], args[3]);
}

var threads = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : Environment.ProcessorCount;
var engine = BenchEngines.Create(args[0]);
var clock = Stopwatch.StartNew();
await engine.InitializeAsync(CancellationToken.None);
Console.WriteLine($"load: {clock.Elapsed.TotalMilliseconds:F0} ms, {engine.Status.Detail}");
PrintMemory("after load");

// As core/Postern.Host/Cli/HostRuntime.cs does once after all engines load.
GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
Console.WriteLine($"managed heap after load: {GC.GetTotalMemory(forceFullCollection: true) / 1048576.0:F1} MiB");
PrintMemory("after the host's collection");

var random = new Random(1);
var randomItems = new byte[256][];
for (var i = 0; i < randomItems.Length; i++)
{
    randomItems[i] = new byte[1 << 20];
    random.NextBytes(randomItems[i]);
}

var small = new List<byte[]>();
for (long total = 0; total < 64 << 20;)
{
    var item = new byte[random.Next(500, 40_001)];
    random.NextBytes(item);
    small.Add(item);
    total += item.Length;
}

Probe("random 1 MiB items", randomItems, engine);
await Measure("random 1 MiB items", randomItems, engine, threads);
await Measure($"{small.Count} random items of 500-40,000 bytes (hashed)", [.. small], engine, threads);
HashCost([.. small]);
if (args.Length > 1)
{
    var files = Directory.GetFiles(args[1]);
    Array.Sort(files, StringComparer.Ordinal);
    var mail = files.Select(File.ReadAllBytes).ToArray();
    Probe("raw mail", mail, engine);
    await Measure($"{files.Length} raw files of {args[1]}", mail, engine, threads);
}

PrintMemory("at the end (the items scanned are in it too)");
return 0;

static void PrintMemory(string when)
{
    using var self = Process.GetCurrentProcess();
    Console.WriteLine($"process {when}: RSS {self.WorkingSet64 / 1048576.0:F0} MiB, peak RSS {self.PeakWorkingSet64 / 1048576.0:F0} MiB");
}

// What hashing alone costs on those items: the floor for a database whose hash signatures cover every size.
static void HashCost(byte[][] items)
{
    var mib = items.Sum(i => (long)i.Length) / 1048576.0;
    var digest = new byte[32];
    foreach (var (name, hash) in new (string, Func<byte[], int>)[]
    {
        ("MD5", i => System.Security.Cryptography.MD5.HashData(i, digest)),
        ("SHA-256", i => System.Security.Cryptography.SHA256.HashData(i, digest)),
    })
    {
        var best = double.MaxValue;
        for (var run = 0; run < 3; run++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            foreach (var item in items)
            {
                hash(item);
            }

            best = Math.Min(best, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
        }

        Console.WriteLine($"  {name} alone on those items: {mib / best:F0} MiB per CPU second");
    }
}

static void Probe(string label, byte[][] items, IScanEngine engine)
{
    var database = ((SignatureEngine)engine).Database!;
    long bytes = 0, passes = 0, exact = 0;
    foreach (var item in items)
    {
        var (p, e) = database.ProbeBodies(item);
        (bytes, passes, exact) = (bytes + item.Length, passes + p, exact + e);
    }

    Console.WriteLine($"{label}: prefilter passes {passes * 1000.0 / bytes:F2} per 1000 bytes, exact anchor grams {exact * 1048576.0 / bytes:F1} per MiB");
}

static async Task Measure(string label, byte[][] items, IScanEngine engine, int threads)
{
    var mib = items.Sum(i => (long)i.Length) / 1048576.0;
    await ScanAll(items, engine);
    // CPU time as well as wall time: on a shared machine the wall clock measures the neighbours too.
    double single = double.MaxValue, singleCpu = double.MaxValue;
    var findings = 0;
    for (var run = 0; run < 3; run++)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.StartNew();
        findings = await ScanAll(items, engine);
        single = Math.Min(single, started.Elapsed.TotalSeconds);
        singleCpu = Math.Min(singleCpu, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    var clock = Stopwatch.StartNew();
    await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = threads }, async (item, ct) =>
        await engine.ScanAsync(new ScanItem("x", item, ScanItemKind.Raw, 0), ct));
    var parallel = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"{label}: {mib:F1} MiB, {findings} findings; 1 thread {mib / single:F0} MiB/s ({mib / singleCpu:F0} MiB per CPU second); {threads} threads {mib / parallel:F0} MiB/s");
}

static async Task<int> ScanAll(byte[][] items, IScanEngine engine)
{
    var findings = 0;
    foreach (var item in items)
    {
        var result = await engine.ScanAsync(new ScanItem("x", item, ScanItemKind.Raw, 0), CancellationToken.None);
        findings += result.Findings.Length;
    }

    return findings;
}
