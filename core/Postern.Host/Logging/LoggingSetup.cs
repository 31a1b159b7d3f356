using Microsoft.Extensions.Logging;

namespace Postern.Host.Logging;

/// <summary>The logger factory of one postern process, at the level <c>[global] log_level</c> names.</summary>
internal static class LoggingSetup
{
    public static ILoggerFactory Create(string? level, LogLevel fallback)
    {
        var minimum = level?.ToLowerInvariant() switch
        {
            "debug" => LogLevel.Debug,
            "info" => LogLevel.Information,
            "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            _ => fallback,
        };
        return LoggerFactory.Create(b => b.SetMinimumLevel(minimum).AddProvider(new StderrLoggerProvider(minimum, Console.Error)));
    }
}
