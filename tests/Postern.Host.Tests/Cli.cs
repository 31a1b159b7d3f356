using Postern.Testing;

namespace Postern.Host.Tests;

/// <summary>Runs the real <c>postern</c> executable from artifacts/postern, as an admin would.</summary>
internal static class Cli
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Executable => Path.Combine(RepoRoot, "artifacts", "postern", "postern");

    public static async Task<CliResult> RunAsync(IEnumerable<string> args, byte[]? stdin = null, string? workDir = null, int timeoutSeconds = 120)
    {
        var r = await ProcessRunner.RunAsync(Executable, args, TimeSpan.FromSeconds(timeoutSeconds), stdin: stdin, workDir: workDir ?? RepoRoot);
        return new CliResult(r.ExitCode, r.Stdout, r.Stderr);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "postern.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
