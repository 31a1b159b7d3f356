using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Postern.Sdk.Messages;

namespace Postern.Protocols.Clamd;

/// <summary>Serves one connection: one command, or an IDSESSION of many, in clamd's grammar.</summary>
internal sealed class ClamdSession(
    ClamdConnection connection, ClamdServerOptions options, IClamdBackend backend, PathGuard guard, ClamdStatistics stats,
    ILogger logger, CancellationToken stopping, CancellationToken abort)
{
    private int requestNumber;
    private bool inSession;

    public async Task RunAsync()
    {
        try
        {
            var timeout = options.CommandReadTimeout;
            while (true)
            {
                using var waitForCommand = CancellationTokenSource.CreateLinkedTokenSource(stopping, abort);
                var (form, text, tooLong) = await ReadCommandAsync(timeout, waitForCommand.Token);
                if (form is null)
                {
                    return;
                }

                var terminator = form == CommandForm.Z ? (byte)0 : (byte)'\n';
                var command = tooLong ? null : ClamdCommand.Parse(form.Value, text);
                if (inSession)
                {
                    requestNumber++;
                }

                if (command is null)
                {
                    if (logger.IsEnabled(LogLevel.Debug))
                    {
                        var shown = Printable(text);
                        ClamdLog.UnknownCommand(logger, shown);
                    }

                    await ReplyAsync(inSession ? "Command invalid inside IDSESSION. ERROR" : "UNKNOWN COMMAND", terminator);
                    return;
                }

                if (inSession && !ClamdCommand.AllowedInSession(command.Name))
                {
                    await ReplyAsync("Command invalid inside IDSESSION. ERROR", terminator);
                    return;
                }

                if (command.Name == "IDSESSION")
                {
                    inSession = true;
                    timeout = options.IdleTimeout;
                    continue;
                }

                if (command.Name == "END")
                {
                    if (!inSession)
                    {
                        await ReplyAsync("UNKNOWN COMMAND", terminator);
                    }

                    return;
                }

                if (!await ExecuteAsync(command) || !inSession || requestNumber >= options.MaxSessionCommands)
                {
                    return;
                }
            }
        }
        catch (TimeoutException)
        {
            ClamdLog.TimedOut(logger);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            ClamdLog.ConnectionFailed(logger, e.Message);
        }
    }

    /// <summary>Reads one command. Form null: the client went away before sending one.</summary>
    private async ValueTask<(CommandForm? Form, byte[] Text, bool TooLong)> ReadCommandAsync(TimeSpan timeout, CancellationToken ct)
    {
        var scanned = 0;
        while (true)
        {
            var data = connection.BufferedSpan;
            if (data.Length > 0)
            {
                var form = data[0] switch
                {
                    (byte)'z' => CommandForm.Z,
                    (byte)'n' => CommandForm.N,
                    _ => CommandForm.Legacy,
                };
                var skip = form == CommandForm.Legacy ? 0 : 1;
                var term = form == CommandForm.Z ? (byte)0 : (byte)'\n';
                var at = data[Math.Max(skip, scanned)..].IndexOf(term);
                if (at >= 0)
                {
                    at += Math.Max(skip, scanned);
                    var text = data[skip..at].ToArray();
                    connection.Consume(at + 1);
                    return (form, text, false);
                }

                if (form == CommandForm.Legacy)
                {
                    // clamd takes a legacy command from what one read brought, newline or not.
                    var text = data.ToArray();
                    connection.Consume(data.Length);
                    return (form, text, false);
                }

                scanned = data.Length;
                if (data.Length >= options.MaxCommandLength)
                {
                    return (form, [], true);
                }

                if (connection.AtEnd || !await connection.FillAsync(timeout, ct))
                {
                    return (null, [], false); // an unterminated z/n command is incomplete
                }

                continue;
            }

            if (!await connection.FillAsync(timeout, ct))
            {
                return (null, [], false);
            }
        }
    }

    /// <summary>Runs one command; false when the connection must close afterwards.</summary>
    private async ValueTask<bool> ExecuteAsync(ClamdCommand command)
    {
        var t = command.Terminator;
        switch (command.Name)
        {
            case "PING":
                await ReplyAsync("PONG", t);
                return true;
            case "VERSION":
                await ReplyAsync(options.Version, t);
                return true;
            case "VERSIONCOMMANDS":
                await ReplyAsync(options.Version + "| COMMANDS: " + ClamdCommand.CommandList, t);
                return true;
            case "STATS":
                await ReplyAsync(stats.Render(options), t);
                return true;
            case "RELOAD":
                backend.RequestReload();
                ClamdLog.Reload(logger);
                await ReplyAsync("RELOADING", t);
                return true;
            case "INSTREAM":
                return await InStreamAsync(t);
            case "FILDES":
                return await FileDescriptorAsync(t);
            default:
                await PathScanAsync(command);
                return true;
        }
    }

    private async ValueTask<bool> InStreamAsync(byte t)
    {
        var content = new GrowableBuffer();
        var header = new byte[4];
        while (true)
        {
            if (!await connection.ReadExactAsync(header, options.ReadTimeout, abort))
            {
                return false;
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(header);
            if (length == 0)
            {
                break;
            }

            if (length > options.StreamMaxLength - content.Length)
            {
                ClamdLog.StreamTooLong(logger, options.StreamMaxLength);
                await ReplyAsync("INSTREAM size limit exceeded. ERROR", t);
                return false;
            }

            // The declared length is untrusted: memory grows with what arrives, never with what is announced.
            var remaining = (long)length;
            while (remaining > 0)
            {
                if (connection.Buffered == 0 && !await connection.FillAsync(options.ReadTimeout, abort))
                {
                    return false;
                }

                var n = (int)Math.Min(connection.Buffered, remaining);
                content.Append(connection.BufferedSpan[..n]);
                connection.Consume(n);
                remaining -= n;
            }
        }

        await ReplyAsync(await ScanLineAsync(new ClamdScanRequest(content.Memory, "stream", ClamdSource.Stream), allMatch: false), t);
        return true;
    }

    private async ValueTask<bool> FileDescriptorAsync(byte t)
    {
        if (!connection.IsUnix || !options.AllowFileDescriptorPassing)
        {
            await ReplyAsync("FILDES: didn't receive file descriptor. ERROR", t);
            return false;
        }

        var fd = connection.TakeDescriptor();
        while (fd < 0)
        {
            if (!await connection.FillAsync(options.ReadTimeout, abort))
            {
                return false;
            }

            fd = connection.TakeDescriptor();
        }

        var name = $"fd[{fd}]";
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var (data, error) = UnixInterop.IsRegularFile(fd)
            ? await ConfinedFiles.ReadAllAsync(handle, options.MaxFileLength)
            : (null, "Not supported file type.");
        var line = data is null
            ? $"{name}: {error} ERROR"
            : await ScanLineAsync(new ClamdScanRequest(data, name, ClamdSource.Descriptor), allMatch: false);
        await ReplyAsync(line, t);
        return true;
    }

    private async ValueTask PathScanAsync(ClamdCommand command)
    {
        var t = command.Terminator;
        var path = command.Argument!;
        var real = PathGuard.Resolve(path, out var error);
        if (real is null)
        {
            await ReplyAsync($"{path}: {error} ERROR", t);
            return;
        }

        if (!guard.Contains(real))
        {
            ClamdLog.OutsideRoots(logger, Printable(Encoding.UTF8.GetBytes(path)), real);
            await ReplyAsync($"{path}: Access denied. ERROR", t);
            return;
        }

        var allMatch = command.Name == "ALLMATCHSCAN";
        var stopAtFirst = command.Name is "SCAN" or "ALLMATCHSCAN";
        if (!Directory.Exists(real))
        {
            foreach (var line in await FileLinesAsync(path, real, allMatch))
            {
                await ReplyAsync(line, t);
            }

            return;
        }

        var reported = false;
        foreach (var (shown, file) in ConfinedFiles.Walk(path, real))
        {
            var lines = await FileLinesAsync(shown, file, allMatch);
            var found = false;
            foreach (var line in lines.Where(l => !l.EndsWith(": OK", StringComparison.Ordinal)))
            {
                await ReplyAsync(line, t);
                reported = true;
                found |= line.EndsWith(" FOUND", StringComparison.Ordinal);
            }

            if (found && stopAtFirst)
            {
                return;
            }
        }

        if (!reported)
        {
            await ReplyAsync($"{path}: OK", t);
        }
    }

    private async ValueTask<IReadOnlyList<string>> FileLinesAsync(string shown, string real, bool allMatch)
    {
        var (data, opened, error) = await ConfinedFiles.ReadAsync(real, guard, options.MaxFileLength);
        if (data is null)
        {
            return [$"{shown}: {error} ERROR"];
        }

        var report = await ScanAsync(new ClamdScanRequest(data, shown, ClamdSource.File, opened!));
        return ClamdReplies.Lines(shown, report, allMatch);
    }

    private async ValueTask<string> ScanLineAsync(ClamdScanRequest request, bool allMatch)
    {
        var report = await ScanAsync(request);
        return ClamdReplies.Lines(request.Name, report, allMatch)[0];
    }

    private async ValueTask<ScanReport?> ScanAsync(ClamdScanRequest request)
    {
        stats.ScanStarted();
        try
        {
            return await backend.ScanAsync(request, abort);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ClamdLog.BackendFailed(logger, request.Name, e);
            return null;
        }
        finally
        {
            stats.ScanEnded();
        }
    }

    private ValueTask ReplyAsync(string text, byte terminator)
    {
        var prefix = inSession ? requestNumber + ": " : "";
        var bytes = Encoding.UTF8.GetBytes(prefix + text + (char)terminator);
        return connection.WriteAsync(bytes, options.ReadTimeout, abort);
    }

    private static string Printable(ReadOnlySpan<byte> text)
    {
        var s = Encoding.Latin1.GetString(text[..Math.Min(text.Length, 80)]);
        return new string([.. s.Select(c => c < ' ' || c > '~' ? '?' : c)]);
    }
}
