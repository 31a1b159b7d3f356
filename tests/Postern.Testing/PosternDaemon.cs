using System.Collections.Concurrent;
using System.Diagnostics;

namespace Postern.Testing;

/// <summary>
/// The real <c>postern serve</c> (artifacts/postern/postern) as a child process, with its stderr log collected so a
/// test can wait for a line. Use <see cref="Terminate"/> for SIGTERM, <see cref="Kill"/> for SIGKILL.
/// </summary>
/// <remarks>Threading: one test drives it. Errors: <see cref="Start"/> throws when the binary is missing (build the
/// solution first); waits return false on timeout.</remarks>
public sealed class PosternDaemon : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();

    private PosternDaemon(Process process)
    {
        this.process = process;
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    /// <summary>The repository root (the directory holding postern.slnx) above the test's binaries.</summary>
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>The plain build of the executable, which tests run.</summary>
    public static string Executable => Path.Combine(RepoRoot, "artifacts", "postern", "postern");

    /// <summary>The process id.</summary>
    public int Pid => process.Id;

    /// <summary>True once the process exited.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>The exit code (valid once <see cref="HasExited"/>).</summary>
    public int ExitCode => process.ExitCode;

    /// <summary>Everything it logged so far, one line each.</summary>
    public string Log => string.Join('\n', lines);

    /// <summary>Starts <c>postern serve</c> with <paramref name="args"/> (such as <c>-c FILE</c>).</summary>
    public static PosternDaemon Start(params string[] args)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: build the solution first");
        }

        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot,
        };
        psi.ArgumentList.Add("serve");
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return new PosternDaemon(Process.Start(psi) ?? throw new InvalidOperationException("cannot start postern"));
    }

    /// <summary>Runs a postern command to completion (<c>setup postfix ...</c>).</summary>
    public static Task<ProcessResult> RunAsync(IEnumerable<string> args, TimeSpan timeout) =>
        ProcessRunner.RunAsync(Executable, args, timeout, workDir: RepoRoot);

    /// <summary>Waits until a log line contains <paramref name="text"/>; false on timeout or when the process exits first.</summary>
    public async Task<bool> WaitForLogAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                return lines.Any(l => l.Contains(text, StringComparison.Ordinal));
            }

            await Task.Delay(50);
        }

        return true;
    }

    /// <summary>Sends SIGTERM (drain and exit).</summary>
    public void Terminate() => Signal(15);

    /// <summary>Sends SIGHUP (reload).</summary>
    public void Reload() => Signal(1);

    /// <summary>SIGKILL: dies on the spot, mid-message if need be.</summary>
    public void Kill() => process.Kill(entireProcessTree: false);

    /// <summary>Waits for the exit; false on timeout.</summary>
    public Task<bool> WaitForExitAsync(TimeSpan timeout) => ProcessExit.WaitAsync(process, timeout);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await ProcessExit.KillAsync(process);
        process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }

    private void Signal(int signal)
    {
        using var kill = Process.Start("/bin/kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
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
