using System.Collections.Concurrent;
using System.Diagnostics;

namespace Postern.Host.Tests;

/// <summary>A running <c>postern serve</c> whose standard error the test reads line by line.</summary>
internal sealed class Daemon : IAsyncDisposable
{
    public const int SigHup = 1;
    public const int SigTerm = 15;

    private readonly Process process;
    private readonly BlockingCollection<string> lines = [];
    private readonly List<string> seen = [];

    private Daemon(Process process)
    {
        this.process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lines.Add(e.Data);
            }
        };
        process.BeginErrorReadLine();
    }

    public string Log => string.Join('\n', seen);

    /// <summary>The process id: the daemon's own, since it restarts itself in place (execve).</summary>
    public int Id => process.Id;

    public static Daemon Start(params string[] args) => Start(new Dictionary<string, string?>(), args);

    /// <summary>Starts <c>postern serve</c> with <paramref name="environment"/> set (null removes a variable).</summary>
    public static Daemon Start(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var psi = new ProcessStartInfo(Cli.Executable) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = Cli.RepoRoot };
        foreach (var (name, value) in environment)
        {
            psi.Environment[name] = value;
        }

        psi.ArgumentList.Add("serve");
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return new Daemon(Process.Start(psi)!);
    }

    /// <summary>Waits for a log line containing <paramref name="text"/>; fails the test with the log so far when it does not come.</summary>
    public string WaitFor(string text, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (lines.TryTake(out var line, 200))
            {
                seen.Add(line);
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }

        throw new TimeoutException($"no line with '{text}' in {seconds} s; log:\n{Log}");
    }

    public void Signal(int signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public async Task<int> WaitForExitAsync(int seconds)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await Postern.Testing.ProcessExit.KillAsync(process);
        process.Dispose();
        lines.Dispose();
    }
}
