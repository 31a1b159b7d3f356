using Microsoft.Extensions.Logging;

namespace Postern.Host.Logging;

internal sealed class StderrLogger(StderrLoggerProvider provider, string category) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => provider.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (provider.IsEnabled(logLevel))
        {
            provider.Write(logLevel, category, formatter(state, exception), exception);
        }
    }
}
