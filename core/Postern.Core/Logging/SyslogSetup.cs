using Microsoft.Extensions.Logging;
using Postern.Core.Configuration;

namespace Postern.Core.Logging;

/// <summary>Adds the syslog provider to a logger factory from the <c>[global]</c> syslog settings.</summary>
public static class SyslogSetup
{
    public static void AddTo(ILoggerFactory factory, IReadOnlyDictionary<string, string> global, LogLevel minimum, TimeProvider time)
    {
        var enabled = !global.TryGetValue(GlobalSettings.SyslogEnabled, out var e) || (ConfigValue.TryParseBool(e, out var b) && b);
        var socket = global.GetValueOrDefault(GlobalSettings.SyslogSocket) ?? "/dev/log";
        if (!enabled || !File.Exists(socket))
        {
            return;
        }

        var format = global.GetValueOrDefault(GlobalSettings.SyslogFormat)?.Equals("rfc5424", StringComparison.OrdinalIgnoreCase) == true
            ? SyslogFormat.Rfc5424
            : SyslogFormat.Rfc3164;
        var formatter = new SyslogFormatter(format, SyslogMapping.Facility(global.GetValueOrDefault(GlobalSettings.SyslogFacility) ?? "mail"),
            global.GetValueOrDefault(GlobalSettings.SyslogIdent) ?? "postern", Environment.MachineName, Environment.ProcessId);
        factory.AddProvider(new SyslogLoggerProvider(socket, formatter, minimum, time));
    }
}
