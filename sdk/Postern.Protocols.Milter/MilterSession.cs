using System.Buffers.Binary;
using Microsoft.Extensions.Logging;

namespace Postern.Protocols.Milter;

/// <summary>
/// One milter connection, from option negotiation to QUIT: reads every command, collects the transaction into a
/// <see cref="MilterMessage"/>, answers the steps it negotiated replies for, and at end of message runs the handler
/// (sending PROGRESS meanwhile) and writes its modifications and final reply. Single-threaded; one instance per
/// connection. A protocol error, an idle timeout or the MTA closing ends <see cref="RunAsync"/> without throwing
/// (the caller closes the stream); a handler failure or timeout answers tempfail and the session goes on.
/// </summary>
public sealed class MilterSession
{
    private readonly Stream stream;
    private readonly IMilterHandler handler;
    private readonly MilterOptions options;
    private readonly ILogger logger;
    private readonly string peer;
    private readonly MilterMessage message;
    private readonly MilterWriter writer;
    private readonly bool answerData;
    private MilterSteps steps;
    private bool negotiated;
    private bool haveMail;

    /// <summary>
    /// Creates a session over a connected stream. For TCP, <paramref name="quickAck"/> keeps the connection
    /// acknowledging at once after each answer; where that is not available, <paramref name="answerData"/> answers DATA
    /// (never SMFIP_NR_DATA) so that an answer carries the acknowledgement instead. Either way the MTA's header packets
    /// are not held back by its Nagle algorithm behind envelope commands nobody answered (see <see cref="TcpQuickAck"/>).
    /// </summary>
    public MilterSession(
        Stream stream, IMilterHandler handler, MilterOptions options, ILogger logger, string peer,
        TcpQuickAck? quickAck = null, bool answerData = false)
    {
        this.answerData = answerData;
        this.stream = stream;
        this.handler = handler;
        this.options = options;
        this.logger = logger;
        this.peer = peer;
        message = new MilterMessage(new MessageBuffer(options.MaxMessageSize));
        writer = new MilterWriter(stream, quickAck);
    }

    /// <summary>
    /// Serves the connection until QUIT, end of stream, a protocol error or an idle timeout. <paramref name="stopping"/>
    /// ends the wait for the next packet (a message being decided finishes first); <paramref name="abort"/> ends everything.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping, CancellationToken abort)
    {
        var framing = new MilterFraming(stream, options.MaxPacketData);
        string reason;
        try
        {
            reason = await LoopAsync(framing, stopping, abort);
            MilterLog.Ended(logger, peer, reason);
        }
        catch (MilterProtocolException e)
        {
            MilterLog.ProtocolError(logger, peer, e.Message);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested || stopping.IsCancellationRequested)
        {
            MilterLog.Ended(logger, peer, "stopping");
        }
        catch (OperationCanceledException)
        {
            MilterLog.ProtocolError(logger, peer, $"idle for {options.IdleTimeout.TotalSeconds:0}s");
        }
        catch (IOException e)
        {
            MilterLog.ProtocolError(logger, peer, e.Message);
        }
        catch (ObjectDisposedException)
        {
            MilterLog.Ended(logger, peer, "connection disposed");
        }
    }

    private async Task<string> LoopAsync(MilterFraming framing, CancellationToken stopping, CancellationToken abort)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, abort);
        while (true)
        {
            // Stopping ends the wait between messages; a message under way is read to its end (until abort).
            MilterPacket? read;
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(haveMail ? abort : linked.Token))
            {
                idle.CancelAfter(options.IdleTimeout);
                read = await framing.ReadAsync(idle.Token);
            }

            if (read is not { } packet)
            {
                return "the MTA closed the connection";
            }

            if (!negotiated && packet.Command != MilterProtocol.Command.OptionNegotiation)
            {
                throw new MilterProtocolException($"command '{(char)packet.Command}' before option negotiation");
            }

            switch (packet.Command)
            {
                case MilterProtocol.Command.OptionNegotiation:
                    await NegotiateAsync(packet.Data, abort);
                    break;
                case MilterProtocol.Command.Macro:
                    if (packet.Data.Length > 0)
                    {
                        message.SetMacros((char)packet.Data.Span[0], MilterFraming.SplitStrings(packet.Data.Span[1..]));
                    }

                    break;
                case MilterProtocol.Command.Connect:
                    message.Connect = MilterPayload.Connect(packet.Data.Span);
                    await StageAsync(MilterStage.Connect, MilterSteps.NoReplyConnect, abort);
                    break;
                case MilterProtocol.Command.Helo:
                    message.Helo = MilterPayload.FirstString(packet.Data.Span, "HELO");
                    await StageAsync(MilterStage.Helo, MilterSteps.NoReplyHelo, abort);
                    break;
                case MilterProtocol.Command.Mail:
                    // The macros of this MAIL came just before it.
                    message.ResetMessage(keepMailMacros: true);
                    message.MailArgs = [.. MilterPayload.Args(packet.Data.Span, "MAIL")];
                    message.Body.ExpectedSize = message.DeclaredSize;
                    haveMail = true;
                    await StageAsync(MilterStage.Mail, MilterSteps.NoReplyMail, abort);
                    break;
                case MilterProtocol.Command.Recipient:
                    message.RecipientArgs.Add([.. MilterPayload.Args(packet.Data.Span, "RCPT")]);
                    await StageAsync(MilterStage.Recipient, MilterSteps.NoReplyRecipient, abort);
                    break;
                case MilterProtocol.Command.Data:
                    await StageAsync(MilterStage.Data, MilterSteps.NoReplyData, abort);
                    break;
                case MilterProtocol.Command.Header:
                    AddHeader(packet.Data.Span);
                    await NoStageReplyAsync(MilterSteps.NoReplyHeader, abort);
                    break;
                case MilterProtocol.Command.EndOfHeaders:
                    await StageAsync(MilterStage.EndOfHeaders, MilterSteps.NoReplyEndOfHeaders, abort);
                    break;
                case MilterProtocol.Command.Body:
                    AddBody(packet.Data.Span);
                    await NoStageReplyAsync(MilterSteps.NoReplyBody, abort);
                    break;
                case MilterProtocol.Command.EndOfMessage:
                    AddBody(packet.Data.Span);
                    await EndOfMessageAsync(abort);
                    break;
                case MilterProtocol.Command.Unknown:
                    await NoStageReplyAsync(MilterSteps.NoReplyUnknown, abort);
                    break;
                case MilterProtocol.Command.Abort:
                    message.ResetMessage();
                    haveMail = false;
                    break;
                case MilterProtocol.Command.QuitNewConnection:
                    message.ResetConnection();
                    haveMail = false;
                    break;
                case MilterProtocol.Command.Quit:
                    return "QUIT";
                default:
                    throw new MilterProtocolException($"unknown command 0x{packet.Command:x2}");
            }
        }
    }

    private async ValueTask NegotiateAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        if (negotiated)
        {
            throw new MilterProtocolException("second option negotiation");
        }

        if (data.Length < 12)
        {
            throw new MilterProtocolException($"option negotiation of {data.Length} bytes, not 12");
        }

        var span = data.Span;
        var version = BinaryPrimitives.ReadUInt32BigEndian(span);
        var offeredActions = (MilterActions)BinaryPrimitives.ReadUInt32BigEndian(span[4..]);
        var offeredSteps = (MilterSteps)BinaryPrimitives.ReadUInt32BigEndian(span[8..]);
        if (version < 2)
        {
            throw new MilterProtocolException($"MTA protocol version {version} (2 or later needed)");
        }

        var wanted = MilterSteps.NoUnknown | MilterSteps.NoReplyHeader | MilterSteps.NoReplyBody | MilterSteps.NoReplyUnknown;
        foreach (var (stage, bit) in StageBits)
        {
            if (!options.RepliedStages.Contains(stage) && !(stage == MilterStage.Data && answerData))
            {
                wanted |= bit;
            }
        }

        if (options.HeaderLeadingSpace)
        {
            wanted |= MilterSteps.HeaderLeadingSpace;
        }

        steps = wanted & offeredSteps;
        var actions = options.Actions & offeredActions;
        var reply = new byte[12];
        var answered = Math.Min(version, MilterProtocol.Version);
        BinaryPrimitives.WriteUInt32BigEndian(reply, answered);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(4), (uint)actions);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(8), (uint)steps);
        message.Actions = actions;
        message.HeaderLeadingSpace = steps.HasFlag(MilterSteps.HeaderLeadingSpace);
        negotiated = true;
        MilterLog.Negotiated(logger, answered, (uint)actions, (uint)steps, (uint)offeredActions, (uint)offeredSteps);
        await writer.SendAsync(MilterProtocol.Command.OptionNegotiation, reply, ct);
    }

    private static readonly (MilterStage Stage, MilterSteps Bit)[] StageBits =
    [
        (MilterStage.Connect, MilterSteps.NoReplyConnect), (MilterStage.Helo, MilterSteps.NoReplyHelo),
        (MilterStage.Mail, MilterSteps.NoReplyMail), (MilterStage.Recipient, MilterSteps.NoReplyRecipient),
        (MilterStage.Data, MilterSteps.NoReplyData | MilterSteps.NoData),
        (MilterStage.EndOfHeaders, MilterSteps.NoReplyEndOfHeaders | MilterSteps.NoEndOfHeaders),
    ];

    private async ValueTask StageAsync(MilterStage stage, MilterSteps noReply, CancellationToken ct)
    {
        if (steps.HasFlag(noReply))
        {
            return;
        }

        var reply = MilterReply.Continue;
        if (options.RepliedStages.Contains(stage))
        {
            try
            {
                reply = await handler.OnStageAsync(stage, message, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Boundary: a handler bug answers tempfail for this step; the connection and the listener go on.
                MilterLog.HandlerFailed(logger, e);
                reply = options.FailureReply;
            }
        }

        await writer.SendAsync(reply.Letter, reply.Data(), ct);
    }

    private ValueTask NoStageReplyAsync(MilterSteps noReply, CancellationToken ct) =>
        steps.HasFlag(noReply) ? ValueTask.CompletedTask : writer.SendAsync(MilterProtocol.Response.Continue, ReadOnlyMemory<byte>.Empty, ct);

    private void AddHeader(ReadOnlySpan<byte> data)
    {
        var parts = MilterFraming.SplitStrings(data);
        if (parts.Count == 0 || parts[0].Length == 0)
        {
            throw new MilterProtocolException("header without a name");
        }

        if (message.Overflow is not null)
        {
            return;
        }

        var value = parts.Count > 1 ? parts[1] : "";
        message.HeaderBytes += parts[0].Length + value.Length;
        if (message.Headers.Count >= options.MaxHeaders || message.HeaderBytes > options.MaxHeaderBytes)
        {
            message.Overflow = $"more than {options.MaxHeaders} headers or {options.MaxHeaderBytes} header bytes";
            message.Headers.Clear();
            return;
        }

        message.Headers.Add(new MilterHeader(parts[0], value));
    }

    private void AddBody(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        if (message.Body.Length == 0)
        {
            // The headers are all in: keep room for their block in front of the body.
            message.Body.ReserveHead((int)Math.Min(message.HeaderBlockBound, options.MaxPacketData * 4L));
        }

        if (message.Overflow is null && !message.Body.TryAppend(data))
        {
            message.Overflow = $"body larger than {options.MaxMessageSize} bytes";
            message.Body.Reset();
        }
    }

    private async ValueTask EndOfMessageAsync(CancellationToken ct)
    {
        MilterResult result;
        if (message.Overflow is { } overflow)
        {
            MilterLog.Overflow(logger, overflow);
            result = MilterResult.Of(options.OverflowReply);
        }
        else if (!haveMail)
        {
            throw new MilterProtocolException("end of message without MAIL");
        }
        else
        {
            result = await DecideAsync(ct);
        }

        var missing = result.Modifications.Select(m => m.Requires).Aggregate(MilterActions.None, (a, b) => a | b) & ~message.Actions;
        if (missing != MilterActions.None)
        {
            MilterLog.ActionNotGranted(logger, missing.ToString());
            result = MilterResult.Of(options.FailureReply);
        }

        await writer.AnswerAsync(result, ct);
        message.ResetMessage();
        haveMail = false;
    }

    private async ValueTask<MilterResult> DecideAsync(CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(options.MessageTimeout);

        // The handler runs on this thread until it first waits for something, so a decision that never waits (a scan
        // by the signature engine) is answered without a hop through the thread pool's queue. Only a handler that
        // does wait is watched below, with progress packets and the timeout.
        Task<MilterResult> work;
        try
        {
            work = handler.EndOfMessageAsync(message, limit.Token).AsTask();
        }
        catch (Exception e)
        {
            work = Task.FromException<MilterResult>(e);
        }

        while (!work.IsCompleted)
        {
            var tick = Task.Delay(options.ProgressInterval, limit.Token);
            var done = await Task.WhenAny(work, tick);
            if (done == work)
            {
                break;
            }

            if (limit.IsCancellationRequested)
            {
                // The handler ignored its token: answer now and let it finish in the background.
                ct.ThrowIfCancellationRequested();
                MilterLog.HandlerTimedOut(logger, options.MessageTimeout.TotalSeconds);
                _ = work.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                message.Body.Abandon();
                return MilterResult.Of(options.FailureReply);
            }

            await writer.SendAsync(MilterProtocol.Response.Progress, ReadOnlyMemory<byte>.Empty, ct);
        }

        try
        {
            return await work;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            MilterLog.HandlerTimedOut(logger, options.MessageTimeout.TotalSeconds);
            return MilterResult.Of(options.FailureReply);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Boundary: whatever the handler throws, the MTA hears tempfail, never accept.
            MilterLog.HandlerFailed(logger, e);
            return MilterResult.Of(options.FailureReply);
        }
    }
}
