using System.ComponentModel;
using System.Diagnostics;
using Postern.Core.Configuration;
using Postern.Host.Cli;
using Postern.Host.Mda;
using Postern.Protocols.Local;

namespace Postern.Mda.Native;

/// <summary>
/// <c>postern mda</c>'s daemon path, natively: spool standard input to an unlinked file, submit it over the local
/// socket, answer the decision with the shared codes and texts (<see cref="MdaReplies"/>), and on accept give the real
/// MDA the decided message as its standard input and return its status. With no daemon it becomes the managed verb
/// (<see cref="ManagedFallback"/>), which scans in-process: this program never loads an engine.
/// </summary>
/// <remarks>What differs from the managed verb is only the mechanism: the message stays in a file descriptor (so it
/// can be handed on after it was read), and the real MDA reads that file instead of a pipe.</remarks>
internal static class DaemonMdaCommand
{
    public static int Run(MdaOptions options, string[] argv, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var caller = options.Caller;
        if (options.NoDaemon)
        {
            // Nothing read yet: the managed verb takes standard input as it is.
            return ManagedFallback.Exec(argv, null, caller, stderr);
        }

        if (ConfigLoading.Load(options.ConfigPath, stderr) is not { } config)
        {
            return MdaExitCodes.TempFail(caller);
        }

        using var spool = FdSpool.Create(options.SpoolDirectory);
        using (var stdin = Console.OpenStandardInput())
        {
            spool.CopyFrom(stdin, ct);
        }

        using var changed = FdSpool.Create(options.SpoolDirectory);
        var client = new LocalClient(options.SocketPath ?? Path.Combine(RunDirectory.Of(config.Global), LocalClient.SocketName));
        LocalDecision decision;
        try
        {
            using var source = spool.OpenRead();
            using var target = changed.OpenWrite();
            decision = client.SubmitAsync(options.Envelope, source, spool.Length, target, ct).GetAwaiter().GetResult();
        }
        catch (LocalUnavailableException)
        {
            // No daemon: the managed verb scans in its own process, with what was read as its standard input.
            return ManagedFallback.Exec(argv, spool, caller, stderr);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The daemon took the connection: the outcome is unknown, so never a second scan, never a delivery.
            return MdaReplies.Defer(caller, MdaReplies.DaemonFailed(e), stdout, stderr);
        }

        if (MdaReplies.Conclude(caller, decision, stdout, stderr) is { } code)
        {
            return code;
        }

        return Deliver(options, decision.ChangedLength >= 0 ? changed : spool, stderr);
    }

    private static int Deliver(MdaOptions options, FdSpool message, TextWriter stderr)
    {
        // The MDA inherits standard input, which is now the decided message from its first byte.
        message.BecomeStandardInput();
        var start = new ProcessStartInfo(options.Mda[0]) { UseShellExecute = false };
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
            stderr.WriteLine(MdaReplies.CannotRun(options.Mda[0], e.Message));
            return MdaExitCodes.TempFail(options.Caller);
        }

        using (process)
        {
            // Not cancellable: once the MDA runs, only its status says whether the mail was delivered.
            process.WaitForExit();
            return MdaExitCodes.FromMda(options.Caller, process.ExitCode);
        }
    }
}
