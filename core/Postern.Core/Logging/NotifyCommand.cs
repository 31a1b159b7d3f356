using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Postern.Core.Logging;

/// <summary>
/// Runs <c>av_notify_command</c> on a detection: the program and arguments from the configuration, each
/// <c>%placeholder%</c> filled inside its own argument, the facts also in <c>POSTERN_*</c> variables. No shell is ever
/// involved, so a sender such as <c>a;touch /tmp/pwned@x</c> is only ever data. Bounded by a timeout, after which the
/// process tree is killed; any failure is logged and never changes the mail's fate.
/// </summary>
public sealed partial class NotifyCommand(ILogger<NotifyCommand> logger)
{
    /// <returns>The exit code, or null when it could not run or was killed.</returns>
    public async Task<int?> RunAsync(string command, NotifyFacts facts, TimeSpan timeout, CancellationToken ct)
    {
        var argv = CommandLineSplitter.Split(command);
        if (argv.Count == 0)
        {
            return null;
        }

        var start = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in argv.Skip(1))
        {
            start.ArgumentList.Add(facts.Expand(a));
        }

        foreach (var (k, v) in facts.Environment)
        {
            start.Environment[k] = v;
        }

        try
        {
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var errors = process.StandardError.ReadToEndAsync(ct);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                LogTimedOut(logger, argv[0], timeout.TotalSeconds);
                return null;
            }

            await Task.WhenAll(output, errors);
            if (process.ExitCode != 0)
            {
                LogFailed(logger, argv[0], process.ExitCode, (await errors).Trim());
            }

            return process.ExitCode;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            LogCannotRun(logger, argv[0], e.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Notify command {Program} ran past {Seconds} s and was killed")]
    private static partial void LogTimedOut(ILogger logger, string program, double seconds);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "Notify command {Program} exited with {Code}: {Errors}")]
    private static partial void LogFailed(ILogger logger, string program, int code, string errors);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Warning, Message = "Notify command {Program} could not be started: {Reason}")]
    private static partial void LogCannotRun(ILogger logger, string program, string reason);
}
