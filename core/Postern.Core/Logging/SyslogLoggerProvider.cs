using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Postern.Core.Logging;

/// <summary>
/// Logs to the local syslog daemon over its unix datagram socket (<c>syslog_socket</c>, /dev/log by default). A
/// missing or full socket drops the line rather than blocking or failing the mail path; the stderr log still has it.
/// </summary>
public sealed class SyslogLoggerProvider : ILoggerProvider
{
    private readonly Socket socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly UnixDomainSocketEndPoint endpoint;
    private readonly SyslogFormatter formatter;
    private readonly LogLevel minimum;
    private readonly TimeProvider time;
    private readonly Lock gate = new();

    public SyslogLoggerProvider(string socketPath, SyslogFormatter formatter, LogLevel minimum, TimeProvider time)
    {
        endpoint = new UnixDomainSocketEndPoint(socketPath);
        this.formatter = formatter;
        this.minimum = minimum;
        this.time = time;
        socket.Blocking = false;
    }

    public ILogger CreateLogger(string categoryName) => new SyslogLogger(this);

    public void Dispose() => socket.Dispose();

    internal bool IsEnabled(LogLevel level) => level != LogLevel.None && level >= minimum;

    internal void Write(LogLevel level, EventId id, string message)
    {
        var datagram = formatter.Format(SyslogMapping.Severity(level), time.GetLocalNow(), id.Id == 0 ? "" : id.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), message);
        lock (gate)
        {
            try
            {
                socket.SendTo(datagram, endpoint);
            }
            catch (SocketException)
            {
                // No daemon, or its buffer is full: logging must never stall or fail mail.
            }
        }
    }

    private sealed class SyslogLogger(SyslogLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => provider.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var text = formatter(state, exception);
            provider.Write(logLevel, eventId, exception is null ? text : $"{text}: {exception.GetType().Name}: {exception.Message}");
        }
    }
}
