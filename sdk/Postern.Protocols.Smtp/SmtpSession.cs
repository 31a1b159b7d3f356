using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Postern.Protocols.Smtp;

/// <summary>One connection of <see cref="SmtpServer"/>: the command loop, the transaction state and the limits.</summary>
internal sealed partial class SmtpSession(
    Stream stream, IPEndPoint? peer, SmtpServerOptions options, ISmtpTransactionHandler handler, ILogger logger,
    CancellationToken stopping, CancellationToken aborting)
{
    private static readonly string[] XforwardAttributes = ["NAME", "ADDR", "PORT", "PROTO", "HELO", "IDENT", "SOURCE"];
    private readonly SmtpInput input = new(stream, options.IdleTimeout);
    private readonly ArrayBufferWriter<byte> pending = new(1024);
    private readonly ImmutableDictionary<string, string>.Builder xforward = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
    private readonly ImmutableArray<SmtpRecipient>.Builder recipients = ImmutableArray.CreateBuilder<SmtpRecipient>();
    private string? helo;
    private string? sender;
    private ImmutableArray<string> mailParameters = [];
    private int commands;
    private int junk;

    public async Task RunAsync()
    {
        await ReplyAsync($"220 {options.HostName} ESMTP Postern");
        while (true)
        {
            CommandLine? line;
            try
            {
                line = await input.ReadCommandAsync(options.MaxCommandLineLength, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                await ReplyAsync("421 4.3.2 service shutting down, try again later", flush: true);
                return;
            }

            if (line is null)
            {
                return;
            }

            if (++commands > options.MaxCommands)
            {
                await ReplyAsync("421 4.7.0 too many commands in one connection", flush: true);
                return;
            }

            var keepGoing = await DispatchAsync(line);
            if (!keepGoing)
            {
                return;
            }

            if (junk > options.MaxJunkCommands)
            {
                await ReplyAsync("421 4.7.0 too many errors or unproductive commands", flush: true);
                return;
            }
        }
    }

    private async Task<bool> DispatchAsync(CommandLine line)
    {
        if (line.IsTooLong)
        {
            return await JunkAsync($"500 5.5.0 line longer than {options.MaxCommandLineLength} octets");
        }

        var text = Encoding.UTF8.GetString(line.Bytes);
        if (text.Length == 0 || text.Any(c => char.IsControl(c) && c != '\t') || text.Contains('\uFFFD', StringComparison.Ordinal))
        {
            return await JunkAsync("500 5.5.2 syntax error");
        }

        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var verb = (space < 0 ? text : text[..space]).ToUpperInvariant();
        var arg = space < 0 ? "" : text[(space + 1)..].Trim();
        switch (verb)
        {
            case "EHLO":
            case "HELO":
                return await HeloAsync(verb, arg);
            case "MAIL":
                return await MailAsync(arg);
            case "RCPT":
                return await RcptAsync(arg);
            case "DATA":
                return await DataAsync(arg);
            case "XFORWARD":
                return await XforwardAsync(arg);
            case "RSET":
                ResetTransaction();
                junk++;
                await ReplyAsync("250 2.0.0 Ok");
                return true;
            case "NOOP":
                junk++;
                await ReplyAsync("250 2.0.0 Ok");
                return true;
            case "VRFY":
                return await JunkAsync("252 2.5.2 cannot verify, send some mail");
            case "HELP":
                return await JunkAsync("214 2.0.0 see RFC 5321");
            case "QUIT":
                await ReplyAsync("221 2.0.0 Bye", flush: true);
                return false;
            default:
                return await JunkAsync("502 5.5.2 command not recognized");
        }
    }

    private async Task<bool> HeloAsync(string verb, string arg)
    {
        if (arg.Length == 0 || arg.Contains(' ', StringComparison.Ordinal))
        {
            return await JunkAsync($"501 5.5.4 syntax: {verb} hostname");
        }

        ResetTransaction();
        helo = arg;
        if (verb == "HELO")
        {
            await ReplyAsync($"250 {options.HostName}");
            return true;
        }

        var lines = new List<string>
        {
            options.HostName, "PIPELINING", $"SIZE {options.MaxMessageSize.ToString(CultureInfo.InvariantCulture)}", "8BITMIME", "SMTPUTF8", "DSN", "ENHANCEDSTATUSCODES",
        };
        if (options.AllowXforward)
        {
            lines.Add("XFORWARD " + string.Join(' ', XforwardAttributes));
        }

        await ReplyAsync(string.Join("\r\n", lines.Select((l, i) => (i == lines.Count - 1 ? "250 " : "250-") + l)));
        return true;
    }

    private async Task<bool> MailAsync(string arg)
    {
        if (helo is null)
        {
            return await JunkAsync("503 5.5.1 send EHLO or HELO first");
        }

        if (sender is not null)
        {
            return await JunkAsync("503 5.5.1 nested MAIL command");
        }

        if (!SmtpSyntax.TryPath(arg, "FROM:", out var address, out var rest))
        {
            return await JunkAsync("501 5.5.4 syntax: MAIL FROM:<address>");
        }

        var kept = ImmutableArray.CreateBuilder<string>();
        foreach (var p in rest)
        {
            var (key, value) = SmtpSyntax.SplitParameter(p);
            switch (key)
            {
                case "SIZE":
                    if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
                    {
                        return await JunkAsync("501 5.5.4 bad SIZE parameter");
                    }

                    if (size > options.MaxMessageSize)
                    {
                        return await JunkAsync("552 5.3.4 message size exceeds fixed limit");
                    }

                    continue;
                case "BODY" when value is "7BIT" or "8BITMIME":
                case "SMTPUTF8" when value is null:
                case "RET" when value is "FULL" or "HDRS":
                case "ENVID" when value is { Length: > 0 and <= 100 }:
                    kept.Add(p);
                    continue;
                default:
                    return await JunkAsync($"555 5.5.4 unsupported MAIL parameter {Printable(p)}");
            }
        }

        sender = address;
        mailParameters = kept.ToImmutable();
        await ReplyAsync("250 2.1.0 Ok");
        return true;
    }

    private async Task<bool> RcptAsync(string arg)
    {
        if (sender is null)
        {
            return await JunkAsync("503 5.5.1 need MAIL command");
        }

        if (!SmtpSyntax.TryPath(arg, "TO:", out var address, out var rest) || address.Length == 0)
        {
            return await JunkAsync("501 5.5.4 syntax: RCPT TO:<address>");
        }

        foreach (var p in rest)
        {
            var (key, value) = SmtpSyntax.SplitParameter(p);
            var ok = key switch
            {
                "NOTIFY" => value is not null && (value == "NEVER" || value.Split(',').All(v => v is "SUCCESS" or "FAILURE" or "DELAY")),
                "ORCPT" => value is { Length: > 2 and <= 500 } && value.Contains(';', StringComparison.Ordinal),
                _ => false,
            };
            if (!ok)
            {
                return await JunkAsync($"555 5.5.4 unsupported RCPT parameter {Printable(p)}");
            }
        }

        if (recipients.Count >= options.MaxRecipients)
        {
            await ReplyAsync("452 4.5.3 too many recipients");
            return true;
        }

        recipients.Add(new SmtpRecipient(address, [.. rest]));
        await ReplyAsync("250 2.1.5 Ok");
        return true;
    }

    private async Task<bool> DataAsync(string arg)
    {
        if (arg.Length > 0)
        {
            return await JunkAsync("501 5.5.4 syntax: DATA");
        }

        if (sender is null)
        {
            return await JunkAsync("503 5.5.1 need MAIL command");
        }

        if (recipients.Count == 0)
        {
            return await JunkAsync("554 5.5.1 no valid recipients");
        }

        await ReplyAsync("354 End data with <CR><LF>.<CR><LF>", flush: true);
        var data = await input.ReadDataAsync(options.MaxMessageSize, options.MaxDataLineLength, options.BareLineEndings, aborting);
        if (data is null)
        {
            return false;
        }

        var envelope = new SmtpEnvelope(sender, mailParameters, recipients.ToImmutable(), xforward.ToImmutable());
        ResetTransaction();
        string reply;
        if (data.Oversize)
        {
            reply = "552 5.3.4 message size exceeds fixed limit";
        }
        else if (data.LineTooLong)
        {
            reply = $"554 5.6.0 message has a line longer than {options.MaxDataLineLength} octets";
        }
        else if (data.BareLineEnding && options.BareLineEndings == BareLineEndingPolicy.Reject)
        {
            reply = "554 5.6.0 message contains a bare CR or LF (RFC 5321 2.3.8)";
        }
        else
        {
            reply = await HandleAsync(new SmtpTransaction(envelope, helo ?? "", peer, data.Message, data.BareLineEnding));
        }

        if (reply.StartsWith('5'))
        {
            LogRefused(logger, peer, reply);
        }

        await ReplyAsync(reply, flush: true);
        if (stopping.IsCancellationRequested)
        {
            await ReplyAsync("421 4.3.2 service shutting down, try again later", flush: true);
            return false;
        }

        return true;
    }

    private async Task<string> HandleAsync(SmtpTransaction transaction)
    {
        try
        {
            var r = await handler.HandleAsync(transaction, aborting);
            return $"{r.Code} {r.Text.Replace("\n", " ", StringComparison.Ordinal)}";
        }
        catch (OperationCanceledException) when (aborting.IsCancellationRequested)
        {
            await ReplyAsync("421 4.3.2 service shutting down, message not accepted", flush: true);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Connection boundary: whatever the handler threw, the client must keep the message and retry.
            LogHandlerFailed(logger, e);
            return "451 4.3.0 internal error, try again later";
        }
    }

    private async Task<bool> XforwardAsync(string arg)
    {
        if (!options.AllowXforward)
        {
            return await JunkAsync("502 5.5.1 XFORWARD not available");
        }

        if (sender is not null)
        {
            return await JunkAsync("503 5.5.1 XFORWARD inside a transaction");
        }

        var pairs = arg.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (pairs.Length == 0)
        {
            return await JunkAsync("501 5.5.4 syntax: XFORWARD attribute=value ...");
        }

        foreach (var pair in pairs)
        {
            var (key, value) = SmtpSyntax.SplitParameter(pair);
            if (!XforwardAttributes.Contains(key) || value is null || value.Length > 255)
            {
                return await JunkAsync($"501 5.5.4 bad XFORWARD attribute {Printable(pair)}");
            }

            xforward[key] = value;
        }

        await ReplyAsync("250 2.0.0 Ok");
        return true;
    }

    private void ResetTransaction()
    {
        sender = null;
        mailParameters = [];
        recipients.Clear();
        xforward.Clear();
    }

    private async Task<bool> JunkAsync(string reply)
    {
        junk++;
        await ReplyAsync(reply);
        return true;
    }

    /// <summary>Queues a reply; writes the queue when the client has sent nothing more (RFC 2920: a pipelining
    /// client's replies may be sent as a group) or when asked to.</summary>
    private async Task ReplyAsync(string reply, bool flush = false)
    {
        pending.Write(Encoding.UTF8.GetBytes(reply + "\r\n"));
        if (flush || !input.HasBuffered)
        {
            await stream.WriteAsync(pending.WrittenMemory, aborting);
            pending.ResetWrittenCount();
        }
    }

    private static string Printable(string s) => s.Length > 40 ? s[..40] + "..." : s;

    [LoggerMessage(EventId = 5110, Level = LogLevel.Error, Message = "SMTP message handler failed; the client was told to retry")]
    private static partial void LogHandlerFailed(ILogger logger, Exception e);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Information, Message = "SMTP message from {Peer} refused: {Reply}")]
    private static partial void LogRefused(ILogger logger, IPEndPoint? peer, string reply);
}
