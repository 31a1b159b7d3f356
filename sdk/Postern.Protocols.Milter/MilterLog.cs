using Microsoft.Extensions.Logging;

namespace Postern.Protocols.Milter;

/// <summary>The kit's log lines (event ids 6001-6019; the milter agent's are 6020-6039).</summary>
internal static partial class MilterLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "milter listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "milter connection from {Peer} closed: {Reason}")]
    public static partial void ProtocolError(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Error, Message = "milter handler failed; answered tempfail")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "milter handler ran past {Seconds}s; answered tempfail")]
    public static partial void HandlerTimedOut(ILogger logger, double seconds);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "milter accept on {Endpoint} failed: {Reason}")]
    public static partial void AcceptFailed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Warning, Message = "milter: {Count} connections open, the limit; new ones wait")]
    public static partial void ConnectionLimit(ILogger logger, int count);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Error, Message = "milter: the MTA did not grant {Action} that this message needs; answered tempfail")]
    public static partial void ActionNotGranted(ILogger logger, string action);

    [LoggerMessage(EventId = 6008, Level = LogLevel.Warning, Message = "milter message refused: {Reason}")]
    public static partial void Overflow(ILogger logger, string reason);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Debug, Message = "milter negotiated version {Version}, actions 0x{Actions:x}, steps 0x{Steps:x} (MTA offered 0x{OfferedActions:x}, 0x{OfferedSteps:x})")]
    public static partial void Negotiated(ILogger logger, uint version, uint actions, uint steps, uint offeredActions, uint offeredSteps);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Debug, Message = "milter connection from {Peer} ended: {Reason}")]
    public static partial void Ended(ILogger logger, string peer, string reason);
}
