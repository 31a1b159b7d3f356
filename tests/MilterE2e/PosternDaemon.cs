using System.Collections.Concurrent;
using System.Diagnostics;

namespace Postern.MilterE2e;

/// <summary>A real <c>postern serve -c FILE</c> from artifacts/postern, its standard error read line by line.</summary>
internal sealed class PosternDaemon : IAsyncDisposable
{
    private readonly Process process;
    private readonly BlockingCollection<string> lines = [];
    private readonly ConcurrentQueue<string> seen = [];

    private PosternDaemon(Process process)
    {
        this.process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lines.Add(e.Data);
                seen.Enqueue(e.Data);
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    public static string RepoRoot { get; } = FindRoot();

    public static string Executable => Path.Combine(RepoRoot, "artifacts", "postern", "postern");

    public string Log => string.Join('\n', seen);

    public int Pid => process.Id;

    /// <summary>Starts serve and waits until it says it is ready.</summary>
    public static PosternDaemon Start(string configPath, int seconds = 90)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: build core/Postern.Host first");
        }

        var psi = new ProcessStartInfo(Executable) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = RepoRoot };
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(configPath);
        var d = new PosternDaemon(Process.Start(psi)!);
        d.WaitFor("postern serve ready", seconds);
        return d;
    }

    /// <summary>Waits for a line containing <paramref name="text"/>; fails with the log so far when none comes.</summary>
    public string WaitFor(string text, int seconds = 60)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (lines.TryTake(out var line, 100) && line.Contains(text, StringComparison.Ordinal))
            {
                return line;
            }

            if (process.HasExited && lines.Count == 0)
            {
                break;
            }
        }

        throw new TimeoutException($"postern serve: no line with '{text}' in {seconds} s; log:\n{Log}");
    }

    public void Kill() => process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
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
