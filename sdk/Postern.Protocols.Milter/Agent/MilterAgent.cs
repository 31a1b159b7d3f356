using Microsoft.Extensions.Logging;
using Postern.Sdk.Messages;

namespace Postern.Protocols.Milter.Agent;

/// <summary>
/// The milter agent an MTA plugin registers as its <see cref="IAgent"/>: listens where its settings say, collects each
/// message, submits it to <see cref="IMessageDispatcher"/> with <see cref="Envelope.Agent"/> set to its agent name (so
/// the policy reads that section), and answers through <see cref="DecisionMapper"/>. Thread-safe: one instance serves
/// every connection. Any failure or time-out inside answers tempfail (the session's <see cref="MilterOptions.FailureReply"/>).
/// </summary>
public sealed class MilterAgent : IAgent, IMilterHandler, IAsyncDisposable
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
        var buffer = Assemble(message, out var bodyOffset, out var length);
        var raw = new ReadOnlyMemory<byte>(buffer, 0, length);
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

        // The buffer goes back only on this path, once the scan is over (after an exception it is left to the GC: a
        // cancelled scan may still be reading it). Of the answer, only a body replacement holds bytes, and one that
        // points into the buffer (the decision returned some slice of it) leaves the buffer to the GC too.
        var aliased = result.Modifications.OfType<ReplaceBody>().Any(r =>
            System.Runtime.InteropServices.MemoryMarshal.TryGetArray(r.Body, out var kept) && kept.Array == buffer);
        if (!aliased)
        {
            MilterBuffers.Pool.Return(buffer);
        }

        AgentLog.Answered(logger, envelope.QueueId ?? "-", (char)result.Final.Letter, result.Final.Text ?? "", result.Modifications.Count);
        return result;
    }

    // The message as the MTA will store it (headers, CRLF, an empty line, the body) in an array from
    // MilterBuffers.Pool of at least length bytes.
    private static byte[] Assemble(MilterMessage message, out int bodyOffset, out int length)
    {
        using var head = new MemoryStream();
        HeaderDiff.Write(head, message.Headers, message.HeaderLeadingSpace);
        head.Write("\r\n"u8);
        bodyOffset = (int)head.Length;
        length = checked((int)(head.Length + message.Body.Length));
        var raw = MilterBuffers.Pool.Rent(length);
        head.GetBuffer().AsSpan(0, (int)head.Length).CopyTo(raw);
        message.Body.CopyTo(raw.AsSpan(bodyOffset, (int)message.Body.Length));
        return raw;
    }
}

/// <summary>The milter agent's log lines (event ids 6020-6039).</summary>
internal static partial class AgentLog
{
    [LoggerMessage(EventId = 6020, Level = LogLevel.Debug, Message = "{QueueId}: milter answer '{Letter}' {Text} after {Count} modifications")]
    public static partial void Answered(ILogger logger, string queueId, char letter, string text, int count);
}
