using Microsoft.Extensions.Logging;

namespace Postern.Host.Logging;

/// <summary>
/// One line per event on standard error, written synchronously: <c>postern[warn] engine-signatures: text</c>.
/// The CLI's standard output belongs to the command (clamscan lines), and a per-message MTA program must not
/// pay for a logging thread at start.
/// </summary>
internal sealed class StderrLoggerProvider(LogLevel minimum, TextWriter writer) : ILoggerProvider
{
    private readonly Lock gate = new();

    public ILogger CreateLogger(string categoryName) => new StderrLogger(this, ShortName(categoryName));

    public void Dispose() => writer.Flush();

    internal bool IsEnabled(LogLevel level) => level >= minimum && level != LogLevel.None;

    internal void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var line = $"postern[{Tag(level)}] {category}: {message}";
        if (exception is not null && level >= LogLevel.Error)
        {
            line += $" ({exception.GetType().Name}: {exception.Message})";
        }

        lock (gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    private static string Tag(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        _ => "crit",
    };

    private static string ShortName(string category)
    {
        var dot = category.LastIndexOf('.');
        return dot < 0 ? category : category[(dot + 1)..];
    }
}
