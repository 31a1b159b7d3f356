using System.Diagnostics;

namespace Postern.Host.Tests;

/// <summary>Runs the real <c>postern</c> executable from artifacts/postern, as an admin would.</summary>
internal static class Cli
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Executable => Path.Combine(RepoRoot, "artifacts", "postern", "postern");

    public static async Task<CliResult> RunAsync(IEnumerable<string> args, byte[]? stdin = null, string? workDir = null, int timeoutSeconds = 120)
    {
        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workDir ?? RepoRoot,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        // One deadline for writing the input, the exit and the output (see ProcessRunner in Postern.Testing).
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            if (stdin is not null)
            {
                await p.StandardInput.BaseStream.WriteAsync(stdin, cts.Token);
            }

            p.StandardInput.Close();
            await p.WaitForExitAsync(cts.Token);
            return new CliResult(p.ExitCode, await stdout.WaitAsync(cts.Token), await stderr.WaitAsync(cts.Token));
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"postern {string.Join(' ', args)} did not finish in {timeoutSeconds} s");
        }
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
