using Microsoft.Extensions.Logging;

namespace Postern.Protocols.Clamd;

/// <summary>The clamd server's log lines (event ids 7100-7199).</summary>
internal static partial class ClamdLog
{
    [LoggerMessage(EventId = 7100, Level = LogLevel.Information, Message = "clamd protocol listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 7101, Level = LogLevel.Debug, Message = "clamd: unknown command '{Command}'")]
    public static partial void UnknownCommand(ILogger logger, string command);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Debug, Message = "clamd: client timed out")]
    public static partial void TimedOut(ILogger logger);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Debug, Message = "clamd: connection failed: {Reason}")]
    public static partial void ConnectionFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "clamd: INSTREAM over the {Limit}-byte limit refused")]
    public static partial void StreamTooLong(ILogger logger, long limit);

    [LoggerMessage(EventId = 7105, Level = LogLevel.Warning, Message = "clamd: path '{Path}' ({RealPath}) is outside the scan roots: refused")]
    public static partial void OutsideRoots(ILogger logger, string path, string realPath);

    [LoggerMessage(EventId = 7106, Level = LogLevel.Error, Message = "clamd: scan of {Name} failed")]
    public static partial void BackendFailed(ILogger logger, string name, Exception exception);

    [LoggerMessage(EventId = 7107, Level = LogLevel.Information, Message = "clamd: RELOAD requested")]
    public static partial void Reload(ILogger logger);

    [LoggerMessage(EventId = 7109, Level = LogLevel.Warning, Message = "clamd: connection ended by an unexpected failure")]
    public static partial void ConnectionBroke(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7108, Level = LogLevel.Error, Message = "clamd: accepting on {Endpoint} failed")]
    public static partial void AcceptFailed(ILogger logger, string endpoint, Exception exception);
}
