using System.ComponentModel;
using System.Diagnostics;
using Autofac;
using Postern.Core.Configuration;
using Postern.Host.Cli;
using Postern.Protocols.Local;
using Postern.Sdk.Messages;

namespace Postern.Host.Mda;

/// <summary>
/// <c>postern mda [options] -- REAL-MDA ARGS...</c>: the delivery-time wrapper. Spools standard input privately, hands
/// the message to the daemon's local socket (or, with no daemon, scans in this process), then on accept pipes the
/// decided message into the real MDA (no shell) and returns its status; reject, discard and defer become the
/// caller's exit codes (<see cref="MdaExitCodes"/>). Every failure of its own is a temporary failure, so the MTA
/// keeps the mail.
/// </summary>
/// <remarks>The daemon path loads no plugin and no configuration beyond <c>-c</c>'s <c>run_dir</c>: that is what makes
/// a per-message start cheap.</remarks>
internal static class MdaCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Stream stdin, CancellationToken ct)
    {
        var (options, error) = MdaOptions.Parse(args, Environment.GetEnvironmentVariable);
        if (options is null)
        {
            // A broken mailbox_command is the admin's to fix; the mail waits in the queue meanwhile.
            await stderr.WriteLineAsync(MdaReplies.UsageError(error!));
            return MdaExitCodes.TempFail(MdaOptions.CallerHint(args));
        }

        if (options.Help)
        {
            await stdout.WriteLineAsync(MdaOptions.Usage);
            return 0;
        }

        var caller = options.Caller;
        try
        {
            return await RunAsync(options, stdout, stderr, stdin, ct);
        }
        catch (Exception e)
        {
            // Boundary: whatever went wrong, the MTA keeps the message and retries.
            await stderr.WriteLineAsync(MdaReplies.Failure(e));
            return MdaExitCodes.TempFail(caller);
        }
    }

    private static async Task<int> RunAsync(MdaOptions options, TextWriter stdout, TextWriter stderr, Stream stdin, CancellationToken ct)
    {
        var caller = options.Caller;
        if (ConfigLoading.Load(options.ConfigPath, stderr) is not { } config)
        {
            return MdaExitCodes.TempFail(caller);
        }

        using var spool = new Spool(options.SpoolDirectory);
        await spool.CopyFromAsync(stdin, ct);
        var envelope = options.Envelope;

        using var changed = new Spool(options.SpoolDirectory);
        LocalDecision? decision = null;
        if (!options.NoDaemon)
        {
            var client = new LocalClient(options.SocketPath ?? Path.Combine(RunDirectory.Of(config.Global), LocalClient.SocketName));
            try
            {
                await using var source = spool.OpenRead();
                decision = await client.SubmitAsync(envelope, source, spool.Length, new SpoolWriter(changed), ct);
            }
            catch (LocalUnavailableException)
            {
                // No daemon: scan here (below).
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                return MdaReplies.Defer(caller, MdaReplies.DaemonFailed(e), stdout, stderr);
            }
        }

        ReadOnlyMemory<byte>? inProcessMessage = null;
        if (decision is null)
        {
            (decision, inProcessMessage) = await ScanInProcessAsync(config, envelope, spool, ct);
        }

        if (MdaReplies.Conclude(caller, decision, stdout, stderr) is { } code)
        {
            return code;
        }

        Stream decided = inProcessMessage is { } m ? new ReadOnlyMemoryStream(m)
            : decision.ChangedLength >= 0 ? changed.OpenRead() : spool.OpenRead();
        await using (decided)
        {
            return await DeliverAsync(options, decided, stderr);
        }
    }

    private static async Task<(LocalDecision, ReadOnlyMemory<byte>?)> ScanInProcessAsync(ConfigFile config, Envelope envelope, Spool spool, CancellationToken ct)
    {
        if (spool.Length > LocalServerSession.DefaultMaxMessageSize)
        {
            throw new InvalidOperationException($"message of {spool.Length} bytes is over the {LocalServerSession.DefaultMaxMessageSize}-byte in-process limit");
        }

        var message = spool.ToMemory();
        await using var runtime = await HostRuntime.StartAsync(config, new Dictionary<string, string>(), stopOnFirstFinding: false, ct);
        var result = await runtime.Plugins.Services.Resolve<IMessageDispatcher>().SubmitAsync(envelope, message, ct);
        return (new LocalDecision(result.Report, result.Recipients, 0), result.Message);
    }

    private static async Task<int> DeliverAsync(MdaOptions options, Stream message, TextWriter stderr)
    {
        var start = new ProcessStartInfo(options.Mda[0]) { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var a in options.Mda.Skip(1))
        {
            start.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("no process");
        }
        catch (Win32Exception e)
        {
            await stderr.WriteLineAsync(MdaReplies.CannotRun(options.Mda[0], e.Message));
            return MdaExitCodes.TempFail(options.Caller);
        }

        using (process)
        {
            try
            {
                await message.CopyToAsync(process.StandardInput.BaseStream);
                await process.StandardInput.BaseStream.FlushAsync();
            }
            catch (IOException)
            {
                // The MDA stopped reading (it may have decided without the rest); its status says what happened.
            }
            finally
            {
                try
                {
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // Already gone.
                }
            }

            // Not cancellable: once the MDA runs, only its status says whether the mail was delivered.
            await process.WaitForExitAsync(CancellationToken.None);
            return MdaExitCodes.FromMda(options.Caller, process.ExitCode);
        }
    }

    private sealed class SpoolWriter(Spool spool) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => spool.Length;

        public override long Position { get => spool.Length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) =>
            spool.WriteAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            spool.WriteAsync(buffer, cancellationToken);
    }

    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> memory) : Stream
    {
        private int position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => memory.Length;

        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, memory.Length - position);
            memory.Span.Slice(position, n).CopyTo(buffer);
            position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
