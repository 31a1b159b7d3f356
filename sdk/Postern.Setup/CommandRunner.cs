using System.Diagnostics;
using System.Text;

namespace Postern.Setup;

/// <summary>Runs one setup command without a shell, with a time limit, and reports its output.</summary>
internal static class CommandRunner
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static async Task<(int ExitCode, string Output)> RunAsync(SetupCommand command, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(command.Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in command.Arguments)
        {
            psi.ArgumentList.Add(a);
        }

        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new InvalidOperationException("the process did not start");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return (127, $"cannot run {command.Program}: {e.Message}");
        }

        using (p)
        {
            p.StandardInput.Close();
            var output = new StringBuilder();
            var stdout = p.StandardOutput.ReadToEndAsync(ct);
            var stderr = p.StandardError.ReadToEndAsync(ct);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(Timeout);
            try
            {
                await p.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
                return (124, $"{command.Program} did not finish within {Timeout.TotalSeconds:0} s and was killed");
            }

            output.Append(await stdout).Append(await stderr);
            return (p.ExitCode, output.ToString());
        }
    }
}
