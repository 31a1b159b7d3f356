using System.Diagnostics;

namespace Postern.Testing;

/// <summary>Ending a child process the tests started, without waiting for it forever.</summary>
/// <remarks>Threading: stateless. Errors: none thrown for a process that outlives the wait; the result says so.</remarks>
public static class ProcessExit
{
    /// <summary>How long a killed process gets to be reaped (SIGKILL takes milliseconds; this only bounds a wedge).</summary>
    public static readonly TimeSpan KillWait = TimeSpan.FromSeconds(30);

    /// <summary>Kills <paramref name="process"/> (and its descendants when <paramref name="entireProcessTree"/>) if it is
    /// still running and waits for it; false if it was still there after <see cref="KillWait"/>.</summary>
    public static async Task<bool> KillAsync(Process process, bool entireProcessTree = true)
    {
        if (process.HasExited)
        {
            return true;
        }

        process.Kill(entireProcessTree);
        return await WaitAsync(process, KillWait);
    }

    /// <summary>Waits for the exit; false on timeout.</summary>
    public static async Task<bool> WaitAsync(Process process, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
