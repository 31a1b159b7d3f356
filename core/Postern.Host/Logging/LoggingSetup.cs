using Microsoft.Extensions.Logging;

namespace Postern.Host.Logging;

/// <summary>The logger factory of one postern process, at the level <c>[global] log_level</c> names.</summary>
internal static class LoggingSetup
{
    public static ILoggerFactory Create(string? level, LogLevel fallback)
    {
        // The same six names syslog maps (trace..critical), so stderr and syslog agree on a level.
        var minimum = Core.Logging.SyslogMapping.Level(level) ?? fallback;
        return LoggerFactory.Create(b => b.SetMinimumLevel(minimum).AddProvider(new StderrLoggerProvider(minimum, Console.Error)));
    }
}
