using System.CommandLine;
using Postern.Core.Configuration;
using Postern.Host.FileScan;

namespace Postern.Host.Cli;

/// <summary><c>postern scan</c>: clamscan's options, output lines, summary and exit codes.</summary>
internal static class ScanCommand
{
    public static Command Create(Option<string?> config)
    {
        var database = new Option<string[]>("--database", "-d")
        {
            Description = "Signature database file or directory (repeatable); overrides [global] database_dir",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Scan subdirectories recursively" };
        var infected = new Option<bool>("--infected", "-i") { Description = "Only print infected files (and errors)" };
        var noSummary = new Option<bool>("--no-summary") { Description = "Do not print the summary at the end" };
        var allMatch = new Option<bool>("--allmatch", "-z") { Description = "Keep scanning a file after the first finding" };
        var jobs = new Option<int>("--jobs", "-j")
        {
            Description = "Files scanned in parallel (default: the number of CPUs)",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var noProgress = new Option<bool>("--no-progress") { Description = "No progress line, even on a terminal" };
        var paths = new Argument<string[]>("PATH") { Description = "Files or directories to scan; - for standard input", Arity = ArgumentArity.OneOrMore };
        var command = new Command("scan", "Scan files, directories or standard input, as clamscan does")
        {
            database, recursive, infected, noSummary, allMatch, jobs, noProgress, paths,
        };
        command.SetAction((result, ct) => RunAsync(new ScanArguments(
            result.GetValue(config),
            result.GetValue(database) ?? [],
            result.GetValue(paths) ?? [],
            result.GetValue(recursive),
            result.GetValue(infected),
            result.GetValue(noSummary),
            result.GetValue(allMatch),
            result.GetValue(jobs),
            !result.GetValue(noProgress)), ct));
        return command;
    }

    private static async Task<int> RunAsync(ScanArguments a, CancellationToken ct)
    {
        if (a.Jobs < 1)
        {
            await Console.Error.WriteLineAsync("postern scan: --jobs must be at least 1");
            return 2;
        }

        var config = ConfigLoading.Load(a.ConfigPath, Console.Error);
        if (config is null)
        {
            return 2;
        }

        var overrides = new Dictionary<string, string>();
        if (a.Databases.Count > 0)
        {
            overrides[GlobalSettings.DatabaseDir] = string.Join(',', a.Databases.Select(Path.GetFullPath));
        }

        var start = DateTimeOffset.Now;
        await using var runtime = await HostRuntime.StartAsync(config, overrides, stopOnFirstFinding: !a.AllMatch, ct, enginesOnly: true);
        if (runtime.Scanner.Engines.Count == 0)
        {
            await Console.Error.WriteLineAsync("postern scan: no scan engine is in service; see 'postern plugins list'");
            return 2;
        }

        var stdout = Console.Out;
        var showProgress = a.Progress && !Console.IsErrorRedirected;
        using var progress = showProgress ? new ProgressDisplay(Console.Error, TimeProvider.System) : null;
        var options = new FileScanOptions(a.Paths, a.Recursive, a.InfectedOnly, a.NoSummary, a.Jobs, runtime.Limits.MaxItemBytes, showProgress);
        var runner = new FileScanRunner(runtime.Scanner, options, stdout, Console.OpenStandardInput(), progress);
        var code = await runner.RunAsync(ct);
        if (!a.NoSummary)
        {
            SummaryWriter.Write(stdout, runner.Totals, runtime.SignatureCount, HostInfo.Version, start, DateTimeOffset.Now);
        }

        await stdout.FlushAsync(ct);
        return code;
    }

    private sealed record ScanArguments(
        string? ConfigPath,
        IReadOnlyList<string> Databases,
        IReadOnlyList<string> Paths,
        bool Recursive,
        bool InfectedOnly,
        bool NoSummary,
        bool AllMatch,
        int Jobs,
        bool Progress);
}
