using Microsoft.Extensions.Logging;
using Postern.Protocols.Smtp;
using Postern.Sdk.Messages;

namespace Postern.Plugins.Mta.Postfix;

/// <summary>
/// One message from Postfix's content_filter transport: dispatch (scan and policy), then reinject, discard, reject
/// or defer. The content filter protocol answers once per message, so per-recipient decisions fold as follows:
/// any Defer defers the message (451); else any Reject rejects it for every recipient (550: Postfix bounces it, the
/// strictest answer; a partial bounce is not expressible after DATA); else the Accept recipients get the decided
/// copy through the reinjection port and the Discard ones are dropped. 250 only once the reinjection port said 250;
/// every failure on the way (dispatcher, timeout, reinjection refused or down) is 451 and Postfix retries.
/// </summary>
internal sealed partial class FilterHandler(
    IMessageDispatcher dispatcher, PostfixAgentOptions options, ILogger<FilterHandler> logger, TimeProvider time) : ISmtpTransactionHandler, IAsyncDisposable
{
    /// <summary>Connections to the reinjection smtpd are kept between messages, as Postfix keeps its own to us; at
    /// most as many as messages can be in flight, closed after 10 s unused (Postfix's smtpd waits 300 s).</summary>
    private readonly SmtpClientPool client = new(options.Reinject.Address.ToString(), options.Reinject.Port, new SmtpClientOptions
    {
        HeloName = Environment.MachineName,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ReplyTimeout = TimeSpan.FromSeconds(120),
        AllRecipientsOrNone = true,
    }, options.MaxConnections, TimeSpan.FromSeconds(10));

    /// <summary>Closes the kept reinjection connections.</summary>
    public ValueTask DisposeAsync() => client.DisposeAsync();

    public async ValueTask<SmtpReply> HandleAsync(SmtpTransaction transaction, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var env = transaction.Envelope;
        var xf = env.Xforward;
        var queueId = Xtext.Decode(xf.GetValueOrDefault("IDENT")) ?? "-";
        var envelope = new Envelope(env.Sender, [.. env.Recipients.Select(r => r.Address)],
            ClientAddress: Xtext.Decode(xf.GetValueOrDefault("ADDR")),
            ClientName: Xtext.Decode(xf.GetValueOrDefault("NAME")),
            Helo: Xtext.Decode(xf.GetValueOrDefault("HELO")),
            QueueId: queueId,
            Agent: "postfix");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.MessageTimeout);
        SmtpReply reply;
        try
        {
            reply = await DecideAsync(envelope, env, transaction.Message, queueId, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            reply = FilterReply.Deferred($"not finished within {options.MessageTimeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Adapter boundary: a failure of ours must leave the message with Postfix.
            LogFailed(logger, queueId, e);
            reply = FilterReply.Deferred("internal error");
        }

        var ms = (long)time.GetElapsedTime(started).TotalMilliseconds;
        LogResult(logger, queueId, env.Sender, env.Recipients.Length, reply, ms);
        return reply;
    }

    private async Task<SmtpReply> DecideAsync(Envelope envelope, SmtpEnvelope env, ReadOnlyMemory<byte> message, string queueId, CancellationToken ct)
    {
        var decision = await dispatcher.SubmitAsync(envelope, message, ct);
        var decisions = decision.Recipients;
        if (decisions.IsDefaultOrEmpty)
        {
            return FilterReply.Deferred("no decision");
        }

        if (decisions.FirstOrDefault(d => d.Action == DecisionAction.Defer) is { } deferred)
        {
            return FilterReply.Deferred(deferred.Reason);
        }

        if (decisions.FirstOrDefault(d => d.Action == DecisionAction.Reject) is { } rejected)
        {
            return FilterReply.Rejected(rejected.Reason);
        }

        var accepted = decisions.Where(d => d.Action == DecisionAction.Accept).Select(d => d.Recipient).ToHashSet(StringComparer.Ordinal);
        if (accepted.Count == 0)
        {
            return FilterReply.Discarded(decisions[0].Reason);
        }

        var reinjected = env with { Recipients = [.. env.Recipients.Where(r => accepted.Contains(r.Address))] };
        try
        {
            var delivery = await client.SendAsync(reinjected, decision.Message, ct);
            return FilterReply.Reinjected(delivery.DataReply);
        }
        catch (SmtpException e)
        {
            // A refusal of any kind keeps the message with Postfix: 10026 refusing is a configuration problem of
            // ours, not a reason to bounce the sender's mail.
            LogReinjectFailed(logger, queueId, options.Reinject, e.Message);
            return FilterReply.Deferred("reinjection failed: " + e.Message);
        }
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "postfix {QueueId}: from=<{Sender}> rcpts={Recipients} reply=\"{Reply}\" {Ms} ms")]
    private static partial void LogResult(ILogger logger, string queueId, string sender, int recipients, SmtpReply reply, long ms);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "postfix {QueueId}: reinjection to {Next} failed, deferred: {Reason}")]
    private static partial void LogReinjectFailed(ILogger logger, string queueId, System.Net.IPEndPoint next, string reason);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Error, Message = "postfix {QueueId}: handling failed, deferred")]
    private static partial void LogFailed(ILogger logger, string queueId, Exception e);
}
