using Microsoft.Extensions.Logging;

namespace Postern.Core.Logging;

/// <summary>The per-message log lines: one summary at information level (what mail admins grep for), the details at debug.</summary>
public static partial class MessageLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information,
        Message = "{QueueId}: from=<{Sender}> to=<{Recipients}> status={Status} detections={Detections} action={Action} time={Milliseconds}ms")]
    public static partial void Summary(ILogger logger, string queueId, string sender, string recipients, string status, string detections,
        string action, long milliseconds);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "{QueueId}: {Recipient}: {Action} ({Reason}); settings from {Origin}")]
    public static partial void RecipientDetail(ILogger logger, string queueId, string recipient, string action, string reason, string origin);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "{QueueId}: finding {Name} by {Engine} in {ItemPath}")]
    public static partial void Finding(ILogger logger, string queueId, string name, string engine, string itemPath);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "{QueueId}: not scanned: {Reason}")]
    public static partial void NotScanned(ILogger logger, string queueId, string reason);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "{QueueId}: cleaned: replaced {Parts}")]
    public static partial void Cleaned(ILogger logger, string queueId, string parts);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "{QueueId}: cleaning failed: {Reason}")]
    public static partial void CleaningFailed(ILogger logger, string queueId, string reason);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "{QueueId}: quarantined as {Id}")]
    public static partial void Quarantined(ILogger logger, string queueId, string id);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Error, Message = "{QueueId}: quarantine failed; deferring the message")]
    public static partial void QuarantineFailed(ILogger logger, string queueId, Exception e);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Error, Message = "{QueueId}: policy failed; deferring the message")]
    public static partial void PolicyFailed(ILogger logger, string queueId, Exception e);
}
