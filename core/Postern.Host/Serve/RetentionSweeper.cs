using Microsoft.Extensions.Logging;
using Postern.Core.Configuration;
using Postern.Core.Quarantine;

namespace Postern.Host.Serve;

/// <summary>
/// Applies <c>av_quarantine_retention</c> while the daemon runs: a sweep a minute after start, then hourly. Only when
/// the quarantine directory exists, so a daemon that never quarantined creates nothing.
/// </summary>
internal sealed partial class RetentionSweeper(IQuarantineStore store, string directory, IReadOnlyDictionary<string, string> global, TimeProvider time, ILogger<RetentionSweeper> logger)
{
    private static readonly TimeSpan FirstSweep = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    public async Task RunAsync(CancellationToken stopping)
    {
        var text = global.GetValueOrDefault(GlobalSettings.QuarantineRetention) ?? "30d";
        if (!AgeValue.TryParse(text, out var maxAge) || maxAge <= TimeSpan.Zero)
        {
            return;
        }

        var wait = FirstSweep;
        try
        {
            while (true)
            {
                await Task.Delay(wait, time, stopping);
                wait = Interval;
                if (!Directory.Exists(directory))
                {
                    continue;
                }

                try
                {
                    var n = await QuarantineRetention.SweepAsync(store, maxAge, time, stopping);
                    LogSwept(logger, n, text);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Housekeeping must never take the daemon down; the next sweep tries again.
                    LogSweepFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    [LoggerMessage(EventId = 3030, Level = LogLevel.Information, Message = "Quarantine retention: purged {Count} item(s) older than {Age}")]
    private static partial void LogSwept(ILogger logger, int count, string age);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Error, Message = "Quarantine retention sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception e);
}
