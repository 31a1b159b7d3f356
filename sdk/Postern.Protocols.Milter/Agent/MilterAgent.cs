using Microsoft.Extensions.Logging;
using Postern.Sdk.Messages;

namespace Postern.Protocols.Milter.Agent;

/// <summary>
/// The milter agent an MTA plugin registers as its <see cref="IAgent"/>: listens where its settings say, collects each
/// message, submits it to <see cref="IMessageDispatcher"/> with <see cref="Envelope.Agent"/> set to its agent name (so
/// the policy reads that section), and answers through <see cref="DecisionMapper"/>. Thread-safe: one instance serves
/// every connection. Any failure or time-out inside answers tempfail (the session's <see cref="MilterOptions.FailureReply"/>).
/// </summary>
public sealed class MilterAgent : IWarmUpAgent, IMilterHandler, IAsyncDisposable
{
    private readonly IMessageDispatcher dispatcher;
    private readonly MilterAgentSettings settings;
    private readonly ILogger logger;
    private MilterListener? listener;

    /// <summary>Creates the agent for <paramref name="agentName"/> (<c>sendmail</c>, <c>postfix</c>).</summary>
    public MilterAgent(string agentName, IMessageDispatcher dispatcher, MilterAgentSettings settings, ILogger logger)
    {
        AgentName = agentName;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.logger = logger;
    }

    /// <summary>The policy section and <see cref="Envelope.Agent"/> value.</summary>
    public string AgentName { get; }

    /// <inheritdoc/>
    public string Name => $"milter ({AgentName})";

    /// <summary>The bound endpoints once started (TCP ones with their real port).</summary>
    public IReadOnlyList<System.Net.EndPoint> BoundEndpoints => listener?.BoundEndpoints ?? [];

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        listener = new MilterListener(settings.Endpoints, this, settings.Options, logger, settings.MaxConnections, settings.SocketMode);
        await listener.StartAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (listener is not null)
        {
            await listener.StopAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Runs each message through a milter session of the kit's own, on an ephemeral loopback port, answered by a twin of
    /// this agent that submits to <paramref name="dispatcher"/> (the MTA's side is <see cref="MilterWarmUp"/>). The
    /// agent's own listeners are not touched.
    /// </summary>
    public async Task WarmUpAsync(IMessageDispatcher dispatcher, IReadOnlyList<ReadOnlyMemory<byte>> messages, CancellationToken cancellationToken)
    {
        var twin = new MilterAgent(AgentName, dispatcher, settings, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        await MilterWarmUp.RunAsync(twin, settings.Options, messages, cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (listener is not null)
        {
            await listener.DisposeAsync();
        }
    }

    /// <inheritdoc/>
    public async ValueTask<MilterResult> EndOfMessageAsync(MilterMessage message, CancellationToken cancellationToken)
    {
        var raw = Assemble(message, out var bodyOffset);
        var recipients = message.RecipientArgs.Select(r => r.IsDefaultOrEmpty ? "" : r[0]).ToList();
        var envelope = new Envelope(
            message.Sender,
            [.. recipients.Select(MilterMessage.StripBrackets)],
            ClientAddress: message.Macro("client_addr") ?? message.Connect?.Address,
            ClientName: message.Macro("client_name") ?? message.Connect?.HostName,
            Helo: message.Helo,
            QueueId: message.Macro("i"),
            Agent: AgentName);
        var decision = await dispatcher.SubmitAsync(envelope, raw, cancellationToken);
        var result = DecisionMapper.Map(decision, raw, message.Headers, bodyOffset, recipients, message.HeaderLeadingSpace, settings.Hold);

        AgentLog.Answered(logger, envelope.QueueId ?? "-", (char)result.Final.Letter, result.Final.Text ?? "", result.Modifications.Count);
        return result;
    }

    // The message as the MTA will store it (headers, CRLF, an empty line, the body), in the body's own buffer: the
    // header block goes into the room kept in front of the body. The session gives the buffer back after the answer
    // is written (a body replacement may point into it), or leaves it to the collector when a decision ran past its time.
    private static ReadOnlyMemory<byte> Assemble(MilterMessage message, out int bodyOffset)
    {
        using var head = new MemoryStream();
        HeaderDiff.Write(head, message.Headers, message.HeaderLeadingSpace);
        head.Write("\r\n"u8);
        return message.Body.Join(head.GetBuffer().AsSpan(0, (int)head.Length), out bodyOffset);
    }
}

/// <summary>The milter agent's log lines (event ids 6020-6039).</summary>
internal static partial class AgentLog
{
    [LoggerMessage(EventId = 6020, Level = LogLevel.Debug, Message = "{QueueId}: milter answer '{Letter}' {Text} after {Count} modifications")]
    public static partial void Answered(ILogger logger, string queueId, char letter, string text, int count);
}
