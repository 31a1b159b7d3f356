using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Postern.Sdk.Cli;
using Postern.Sdk.Messages;

namespace Postern.Plugins.Mta.Qmail;

/// <summary>
/// <c>postern qmail-queue [--real PATH] [--custom-error-fd N]</c>: a drop-in qmail-queue. Reads the message on fd 0 to
/// its end, then the envelope on fd 1 (that order, as qmail-queue does, so a caller writing the whole message before
/// the envelope never deadlocks), asks the dispatcher (the daemon, or an in-process scan), then runs the real
/// qmail-queue with the decided message on fd 0 and the same envelope on fd 1 and returns its exit code. Reject: 31,
/// or 82 with <c>D</c>text on the custom-error fd when the caller opened one; defer and every internal failure: 71
/// (or 82 with <c>Z</c>text); envelope read errors 54, format errors 91; discard: 0 without queueing.
/// </summary>
internal sealed partial class QmailQueueVerb(IMessageDispatcher dispatcher, QmailSettings settings, ILogger<QmailQueueVerb> logger) : ICliVerb
{
    public const int Queued = 0;
    public const int PermanentRefusal = 31;
    public const int WriteError = 53;
    public const int ReadError = 54;
    public const int TemporaryRefusal = 71;
    public const int InternalBug = 81;
    public const int CustomError = 82;
    public const int EnvelopeError = 91;

    /// <summary>The largest message taken; qmail-smtpd's databytes normally stops far below.</summary>
    public const long MaxMessageBytes = 256L << 20;

    public IReadOnlyList<string> Path { get; } = ["qmail-queue"];

    public string Description => "Scan, then hand the message to the real qmail-queue (QMAILQUEUE replacement)";

    /// <summary>qmail-smtpd reads 81 as "451 qq internal bug": temporary.</summary>
    public int FailureExitCode => InternalBug;

    public async Task<int> RunAsync(CliInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var real = settings.RealQueue;
        var errorFd = settings.CustomErrorFd;
        var args = invocation.Arguments;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--real" && i + 1 < args.Count)
            {
                real = args[++i];
            }
            else if (args[i] == "--custom-error-fd" && i + 1 < args.Count && int.TryParse(args[++i], out var fd))
            {
                errorFd = fd;
            }
            else
            {
                await invocation.Error.WriteLineAsync($"postern qmail-queue: unknown argument {args[i]}");
                return InternalBug;
            }
        }

        try
        {
            return await RunAsync(invocation.Input, real, errorFd, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            LogFailed(logger, "stopped by a signal");
            return TemporaryRefusal;
        }
    }

    private async Task<int> RunAsync(Stream input, string real, int errorFd, CancellationToken ct)
    {
        // 1. The message, to its end: the caller writes the envelope only after closing the message pipe.
        var message = new MemoryStream();
        var buffer = new byte[81920];
        var tooLarge = false;
        try
        {
            int n;
            while ((n = await input.ReadAsync(buffer, ct)) > 0)
            {
                if (message.Length + n > MaxMessageBytes)
                {
                    tooLarge = true;
                    continue; // drain, so the caller gets to write its envelope and read our answer
                }

                message.Write(buffer, 0, n);
            }
        }
        catch (IOException e)
        {
            LogFailed(logger, $"cannot read the message: {e.Message}");
            return ReadError;
        }

        // 2. The envelope on fd 1 (opened by the caller for reading).
        await using var fd1 = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Read, 1);
        var (envelope, code, error) = await QmailEnvelope.ReadAsync(fd1, ct);
        if (envelope is null)
        {
            LogFailed(logger, error);
            return code;
        }

        if (tooLarge)
        {
            return Refuse(errorFd, permanent: true, $"message over {MaxMessageBytes} bytes, too large to scan");
        }

        var sdkEnvelope = new Envelope(envelope.Sender, envelope.Recipients,
            ClientAddress: Environment.GetEnvironmentVariable("TCPREMOTEIP"),
            ClientName: Environment.GetEnvironmentVariable("TCPREMOTEHOST"),
            Agent: "qmail");
        var decision = await dispatcher.SubmitAsync(sdkEnvelope, message.GetBuffer().AsMemory(0, (int)message.Length), ct);
        var reason = decision.Recipients.FirstOrDefault(r => r.Action == decision.Strictest)?.Reason ?? decision.Report.Status.ToString();
        return decision.Strictest switch
        {
            DecisionAction.Accept => await QueueAsync(real, decision.Message, envelope.Raw, errorFd, ct),
            DecisionAction.Discard => Queued,
            DecisionAction.Reject => Refuse(errorFd, permanent: true, $"Message refused: {reason}"),
            _ => Refuse(errorFd, permanent: false, $"Message deferred: {reason}"),
        };
    }

    private async Task<int> QueueAsync(string real, ReadOnlyMemory<byte> message, byte[] envelope, int errorFd, CancellationToken ct)
    {
        // fd 1 of the real qmail-queue must be readable: a file opened by a shell trampoline (Process cannot map fds);
        // the paths are arguments, never part of the script.
        var envPath = System.IO.Path.Combine(settings.TempDirectory, $"postern-qq-{Environment.ProcessId}-{Guid.NewGuid():N}.env");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var f = new FileStream(envPath, options))
            {
                await f.WriteAsync(envelope, ct);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogFailed(logger, $"cannot write {envPath}: {e.Message}");
            return WriteError;
        }

        try
        {
            var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("exec \"$0\" 1<\"$1\"");
            start.ArgumentList.Add(real);
            start.ArgumentList.Add(envPath);
            start.Environment.Remove("QMAILQUEUE");
            using var process = Process.Start(start) ?? throw new Win32Exception("no process");
            try
            {
                await process.StandardInput.BaseStream.WriteAsync(message, ct);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // It stopped reading: its exit code tells why.
            }

            await process.WaitForExitAsync(CancellationToken.None);
            var status = process.ExitCode;
            if (status == 127 || status == 126)
            {
                // The shell could not run it: qmail's "unable to exec qq".
                LogFailed(logger, $"cannot run {real} (shell status {status})");
                return Refuse(errorFd, permanent: false, "Postern cannot run the real qmail-queue");
            }

            return status;
        }
        catch (Win32Exception e)
        {
            LogFailed(logger, $"cannot run /bin/sh: {e.Message}");
            return 120;
        }
        finally
        {
            File.Delete(envPath);
        }
    }

    private int Refuse(int errorFd, bool permanent, string text)
    {
        LogRefused(logger, permanent ? "permanent" : "temporary", text);
        if (errorFd > 0 && TryWriteCustomError(errorFd, (permanent ? "D" : "Z") + Ascii(text)))
        {
            return CustomError;
        }

        return permanent ? PermanentRefusal : TemporaryRefusal;
    }

    /// <summary>Writes the custom error only to an fd the caller opened as a pipe (or FIFO or socket: anything that
    /// cannot seek, never a file an admin's script left open there); under 256 bytes, so the write never blocks.</summary>
    private static bool TryWriteCustomError(int fd, string text)
    {
        try
        {
            using var handle = new SafeFileHandle(fd, ownsHandle: false);
            using var stream = new FileStream(handle, FileAccess.Write, 1);
            if (stream.CanSeek)
            {
                return false;
            }

            stream.Write(Encoding.ASCII.GetBytes(text.Length > 250 ? text[..250] : text));
            stream.Flush();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    private static string Ascii(string text)
    {
        var b = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            b.Append(c is >= ' ' and < (char)127 ? c : '?');
        }

        return b.ToString();
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "qmail-queue: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "qmail-queue: {Kind} refusal: {Text}")]
    private static partial void LogRefused(ILogger logger, string kind, string text);
}
