using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;

namespace Postern.Protocols.Milter.Agent;

/// <summary>
/// The MTA's side of a milter exchange, as Postfix drives it, for the agent's warm-up: a listener of the kit's own on
/// an ephemeral loopback port, one connection per message, all at once, each sending option negotiation, connect,
/// HELO, MAIL, RCPT, the headers, the body in 65,535-byte chunks and end of message, skipping what the session asked
/// not to get, and reading the answers until the final one. So the session's whole path runs, including the wait for
/// a scan slot (one message more than the slots) and, for a message the policy flags, the modifications.
/// </summary>
internal static class MilterWarmUp
{
    /// <summary>Every action and step Postfix 3.x offers.</summary>
    private const uint OfferedActions = 0x1FF;
    private const uint OfferedSteps = 0x1FFFFF;

    /// <summary>Runs <paramref name="messages"/> through sessions served by <paramref name="handler"/> and returns the
    /// letter of each final answer, in order.</summary>
    public static async Task<char[]> RunAsync(IMilterHandler handler, MilterOptions options, IReadOnlyList<ReadOnlyMemory<byte>> messages,
        CancellationToken ct)
    {
        MilterEndpoint.TryParse("inet:127.0.0.1:0", Path.GetTempPath(), out var endpoint, out _);
        await using var listener = new MilterListener([endpoint], handler, options, NullLogger.Instance, Math.Max(1, messages.Count));
        await listener.StartAsync(ct);
        var target = listener.BoundEndpoints[0];
        var atEnd = new EndOfMessageBarrier(messages.Count);
        var finals = await Task.WhenAll(messages.Select((m, i) => Task.Run(() => SendAsync(target, m, i, atEnd, ct), ct)));
        await listener.StopAsync(ct);
        return finals;
    }

    private static async Task<char> SendAsync(EndPoint target, ReadOnlyMemory<byte> message, int index, EndOfMessageBarrier atEnd, CancellationToken ct)
    {
        using var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(target, ct);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var framing = new MilterFraming(stream);

        var negotiation = new byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(negotiation, MilterProtocol.Version);
        BinaryPrimitives.WriteUInt32BigEndian(negotiation.AsSpan(4), OfferedActions);
        BinaryPrimitives.WriteUInt32BigEndian(negotiation.AsSpan(8), OfferedSteps);
        await MilterFraming.WriteAsync(stream, MilterProtocol.Command.OptionNegotiation, negotiation, ct);
        var answer = await ExpectAsync(framing, ct);
        if (answer.Command != MilterProtocol.Command.OptionNegotiation || answer.Data.Length < 12)
        {
            throw new MilterProtocolException($"warm-up: the session answered '{(char)answer.Command}' to option negotiation");
        }

        var steps = (MilterSteps)BinaryPrimitives.ReadUInt32BigEndian(answer.Data.Span[8..]);
        var leadingSpace = steps.HasFlag(MilterSteps.HeaderLeadingSpace);

        async Task StepAsync(byte command, ReadOnlyMemory<byte> data, MilterSteps skip, MilterSteps noReply)
        {
            if (skip != MilterSteps.None && steps.HasFlag(skip))
            {
                return;
            }

            await MilterFraming.WriteAsync(stream, command, data, ct);
            if (noReply == MilterSteps.None || !steps.HasFlag(noReply))
            {
                var reply = await ExpectAsync(framing, ct);
                if (reply.Command != MilterProtocol.Response.Continue)
                {
                    throw new MilterProtocolException($"warm-up: the session answered '{(char)reply.Command}' to '{(char)command}'");
                }
            }
        }

        // Host name, family '4', port 25 (big-endian), address.
        byte[] connect = [.. MilterFraming.JoinStrings("localhost"), (byte)'4', 0, 25, .. MilterFraming.JoinStrings("127.0.0.1")];
        await MilterFraming.WriteAsync(stream, MilterProtocol.Command.Macro, MacroPacket('C', "j", "localhost", "{daemon_name}", "postern-warm-up"), ct);
        await StepAsync(MilterProtocol.Command.Connect, connect, MilterSteps.NoConnect, MilterSteps.NoReplyConnect);
        await StepAsync(MilterProtocol.Command.Helo, MilterFraming.JoinStrings("localhost"), MilterSteps.NoHelo, MilterSteps.NoReplyHelo);
        await MilterFraming.WriteAsync(stream, MilterProtocol.Command.Macro, MacroPacket('M', "i", $"WARMUP{index}"), ct);
        await StepAsync(MilterProtocol.Command.Mail, MilterFraming.JoinStrings("<postern@localhost>", $"SIZE={message.Length}"),
            MilterSteps.NoMail, MilterSteps.NoReplyMail);
        await StepAsync(MilterProtocol.Command.Recipient, MilterFraming.JoinStrings("<postern@localhost>"), MilterSteps.NoRecipient,
            MilterSteps.NoReplyRecipient);
        await StepAsync(MilterProtocol.Command.Data, ReadOnlyMemory<byte>.Empty, MilterSteps.NoData, MilterSteps.NoReplyData);

        // In milter form, as the MTA sends them (and as the agent's own header diff reads them).
        var (headers, bodyOffset) = HeaderDiff.Parse(message.Span, leadingSpace);
        var body = message[bodyOffset..];
        foreach (var (name, value) in headers)
        {
            await StepAsync(MilterProtocol.Command.Header, MilterFraming.JoinStrings(name, value),
                MilterSteps.NoHeaders, MilterSteps.NoReplyHeader);
        }

        await StepAsync(MilterProtocol.Command.EndOfHeaders, ReadOnlyMemory<byte>.Empty, MilterSteps.NoEndOfHeaders, MilterSteps.NoReplyEndOfHeaders);
        for (var chunk = 0; chunk < body.Length; chunk += MilterProtocol.MaxDataSize)
        {
            await StepAsync(MilterProtocol.Command.Body, body.Slice(chunk, Math.Min(MilterProtocol.MaxDataSize, body.Length - chunk)),
                MilterSteps.NoBody, MilterSteps.NoReplyBody);
        }

        // Every message's end at once, so that one more than the scan slots waits for a slot, as under load.
        await atEnd.ArriveAsync(ct);
        await MilterFraming.WriteAsync(stream, MilterProtocol.Command.EndOfMessage, ReadOnlyMemory<byte>.Empty, ct);
        while (true)
        {
            var reply = await ExpectAsync(framing, ct);
            switch (reply.Command)
            {
                case MilterProtocol.Response.Accept or MilterProtocol.Response.Continue or MilterProtocol.Response.Discard
                    or MilterProtocol.Response.Reject or MilterProtocol.Response.Tempfail or MilterProtocol.Response.ReplyCode:
                    await MilterFraming.WriteAsync(stream, MilterProtocol.Command.Quit, ReadOnlyMemory<byte>.Empty, ct);
                    return (char)reply.Command;
                default:
                    continue; // progress and modifications
            }
        }
    }

    /// <summary>Holds each sender until all of them have sent everything but the end of message.</summary>
    private sealed class EndOfMessageBarrier(int count)
    {
        private readonly TaskCompletionSource all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int waiting = count;

        public Task ArriveAsync(CancellationToken ct)
        {
            if (Interlocked.Decrement(ref waiting) == 0)
            {
                all.TrySetResult();
            }

            return all.Task.WaitAsync(ct);
        }
    }

    private static async Task<MilterPacket> ExpectAsync(MilterFraming framing, CancellationToken ct) =>
        await framing.ReadAsync(ct) ?? throw new MilterProtocolException("warm-up: the session closed the connection");

    private static byte[] MacroPacket(char stage, params string[] pairs) =>
        [(byte)stage, .. MilterFraming.JoinStrings(pairs)];
}
