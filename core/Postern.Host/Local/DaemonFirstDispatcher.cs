using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Postern.Protocols.Local;
using Postern.Sdk.Messages;

namespace Postern.Host.Local;

/// <summary>
/// The <see cref="IMessageDispatcher"/> of a per-message process: hands the message to the running daemon over its
/// local socket; only when no daemon answers the socket does it scan in-process (<paramref name="fallback"/>, whose
/// engines load on first use). A daemon that fails after taking the connection gives Defer for every recipient: the
/// outcome is unknown, and scanning again here could double-notify or double-quarantine.
/// </summary>
internal sealed partial class DaemonFirstDispatcher(LocalClient client, IMessageDispatcher fallback, ILogger<DaemonFirstDispatcher> logger)
    : IMessageDispatcher
{
    public async ValueTask<MessageDecision> SubmitAsync(Envelope envelope, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        try
        {
            using var source = MemoryMarshal.TryGetArray(message, out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(message.ToArray(), writable: false);
            using var changed = new MemoryStream();
            var decision = await client.SubmitAsync(envelope, source, message.Length, changed, cancellationToken);
            var decided = decision.ChangedLength >= 0 ? changed.GetBuffer().AsMemory(0, (int)changed.Length) : message;
            return new MessageDecision(decision.Report, decision.Recipients, decided);
        }
        catch (LocalUnavailableException e)
        {
            LogInProcess(logger, e.Message);
            return await fallback.SubmitAsync(envelope, message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogDaemonFailed(logger, client.SocketPath, e.Message);
            return Defer(envelope, message, $"postern daemon: {e.Message}");
        }
    }

    /// <summary>Every recipient deferred, the report saying why.</summary>
    public static MessageDecision Defer(Envelope envelope, ReadOnlyMemory<byte> message, string reason)
    {
        ImmutableArray<string> recipients = envelope.Recipients.IsDefaultOrEmpty ? [""] : envelope.Recipients;
        var report = new ScanReport(ScanStatus.NotScanned, [], [reason], 0, TimeSpan.Zero);
        return new MessageDecision(report, [.. recipients.Select(r => new RecipientDecision(r, DecisionAction.Defer, reason))], message);
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "No daemon ({Reason}); scanning in this process")]
    private static partial void LogInProcess(ILogger logger, string reason);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "The daemon at {Socket} failed mid-message; deferring: {Reason}")]
    private static partial void LogDaemonFailed(ILogger logger, string socket, string reason);
}
