using System.Diagnostics;

namespace Postern.Testing;

/// <summary>Runs a program to completion under a time limit, without a shell. Every test project that runs a program
/// to completion goes through here, so the deadline below is written once.</summary>
/// <remarks>Threading: stateless; calls may run concurrently. Errors: throws <see cref="TimeoutException"/> (after
/// killing the process tree) when the program outlives <c>timeout</c>; a failing exit code is returned, not thrown.</remarks>
public static class ProcessRunner
{
    /// <summary>Runs <paramref name="program"/> with <paramref name="args"/>.</summary>
    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> args, TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null, byte[]? stdin = null, string? workDir = null)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (workDir is not null)
        {
            psi.WorkingDirectory = workDir;
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        // A test must never act on the machine's own Postfix by accident.
        psi.Environment.Remove("MAIL_CONFIG");
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>())
        {
            psi.Environment[k] = v;
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {program}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        // One deadline for all of it: a program that stops reading its input, or leaves a child holding its output
        // open, fails the test with its name instead of hanging the run.
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            try
            {
                if (stdin is not null)
                {
                    await p.StandardInput.BaseStream.WriteAsync(stdin, cts.Token);
                }

                p.StandardInput.Close();
            }
            catch (IOException)
            {
                // The program exited (or closed its input) before reading all of it, a refused command line say:
                // its exit code and output are the result, not the broken pipe.
            }

            await p.WaitForExitAsync(cts.Token);
            return new ProcessResult(p.ExitCode, await stdout.WaitAsync(cts.Token), await stderr.WaitAsync(cts.Token));
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in {timeout.TotalSeconds:0} s");
        }
    }
}
