using Microsoft.Extensions.Logging;

namespace Postern.Core.Logging;

/// <summary>Log levels to syslog severities (RFC 5424 6.2.1) and facility names to codes.</summary>
public static class SyslogMapping
{
    private static readonly string[] Facilities =
        ["kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp"];

    /// <summary>critical → crit (2), error → err (3), warning → warning (4), information → info (6), debug and
    /// trace → debug (7); notice (5) has no .NET level.</summary>
    public static int Severity(LogLevel level) => level switch
    {
        LogLevel.Critical => 2,
        LogLevel.Error => 3,
        LogLevel.Warning => 4,
        LogLevel.Information => 6,
        _ => 7,
    };

    /// <summary>The facility code; local0..local7 are 16..23. Unknown names give mail (2).</summary>
    public static int Facility(string name)
    {
        var n = name.Trim().ToLowerInvariant();
        if (n.StartsWith("local", StringComparison.Ordinal) && n.Length == 6 && n[5] is >= '0' and <= '7')
        {
            return 16 + (n[5] - '0');
        }

        var i = Array.IndexOf(Facilities, n);
        return i >= 0 ? i : 2;
    }

    /// <summary>log_level names, the six .NET levels.</summary>
    public static LogLevel? Level(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" or "information" => LogLevel.Information,
        "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" => LogLevel.Critical,
        _ => null,
    };
}
