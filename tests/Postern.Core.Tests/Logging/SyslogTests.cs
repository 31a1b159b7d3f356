using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Postern.Core.Logging;

namespace Postern.Core.Tests.Logging;

/// <summary>The syslog provider against a unix datagram socket of the test's own, standing in for the daemon.</summary>
public sealed class SyslogTests
{
    [Theory]
    [InlineData(SyslogFormat.Rfc3164, LogLevel.Information, "mail", @"^<22>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d testhost postern\[4242\]: q1: status=clean x$")]
    [InlineData(SyslogFormat.Rfc3164, LogLevel.Critical, "local3", @"^<154>")]
    [InlineData(SyslogFormat.Rfc5424, LogLevel.Warning, "mail", @"^<20>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z testhost postern 4242 4001 - q1: status=clean x$")]
    [InlineData(SyslogFormat.Rfc5424, LogLevel.Trace, "daemon", @"^<31>1 ")]
    public void Log_WritesOneDatagramInTheFormat(SyslogFormat format, LogLevel level, string facility, string pattern)
    {
        var path = Path.Combine(Path.GetTempPath(), $"postern-syslog-{Guid.NewGuid():N}.sock");
        using var daemon = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        daemon.Bind(new UnixDomainSocketEndPoint(path));
        try
        {
            var formatter = new SyslogFormatter(format, SyslogMapping.Facility(facility), "postern", "testhost", 4242);
            using (var provider = new SyslogLoggerProvider(path, formatter, LogLevel.Trace, TimeProvider.System))
            {
                provider.CreateLogger("x").Log(level, new EventId(4001), "q1: status=clean\nx", null, (s, _) => s);
            }

            var buffer = new byte[9000];
            daemon.ReceiveTimeout = 5000;
            var n = daemon.Receive(buffer);
            Assert.Matches(new Regex(pattern), Encoding.UTF8.GetString(buffer, 0, n));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Log_NoDaemonListening_DoesNotThrow()
    {
        var formatter = new SyslogFormatter(SyslogFormat.Rfc3164, 2, "postern", "h", 1);
        using var provider = new SyslogLoggerProvider("/nonexistent/postern.sock", formatter, LogLevel.Trace, TimeProvider.System);

        provider.CreateLogger("x").LogError("still fine");
    }

    [Theory]
    [InlineData(LogLevel.Trace, 7)]
    [InlineData(LogLevel.Debug, 7)]
    [InlineData(LogLevel.Information, 6)]
    [InlineData(LogLevel.Warning, 4)]
    [InlineData(LogLevel.Error, 3)]
    [InlineData(LogLevel.Critical, 2)]
    public void Severity_MapsTheSixLevels(LogLevel level, int severity) => Assert.Equal(severity, SyslogMapping.Severity(level));
}
