using System.Collections;
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
/// can be handed on after it was read), the real MDA reads that file instead of a pipe, the socket exchange blocks on
/// this one thread (<see cref="UnixConnection"/>, <see cref="LocalClient.Exchange"/>), and the MDA is started with <c>posix_spawn</c> and waited for
/// with <c>waitpid</c>: a per-message program starts no thread it does not need.</remarks>
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
        // SIGTERM/SIGINT while standard input was read: the caller gave up, so neither the daemon nor the fallback
        // gets the message (a read that ended after the signal does not say so by itself).
        ct.ThrowIfCancellationRequested();
        var client = new LocalClient(options.SocketPath ?? Path.Combine(RunDirectory.Of(config.Global), LocalClient.SocketName));
        using var connection = UnixConnection.Connect(client.SocketPath, client.TimeFor(spool.Length), out _);
        if (connection is null)
        {
            // No daemon: the managed verb scans in its own process, with what was read as its standard input.
            return ManagedFallback.Exec(argv, spool, caller, stderr);
        }

        LocalDecision decision;
        try
        {
            // A signal's cancellation shuts the connection down under a blocked call.
            using var cancel = ct.Register(static c => ((UnixConnection)c!).Abort(), connection);
            using var source = spool.OpenRead();
            using var target = changed.OpenWrite();
            decision = LocalClient.Exchange(connection, options.Envelope, source, spool.Length, target);
        }
        catch (Exception e) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException("the submission was cancelled", e, ct);
        }
        catch (Exception e)
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
        // argv[0] is the name as given and the file is found as .NET's Process finds it (the managed verb's way).
        var program = options.Mda[0];
        var path = ResolvePath(program);
        var pid = -1;
        var errno = path is null ? ENoent : Libc.Spawn(path, options.Mda, Environment(), out pid);
        if (errno != 0)
        {
            stderr.WriteLine(MdaReplies.CannotRun(program, Libc.Describe(errno)));
            return MdaExitCodes.TempFail(options.Caller);
        }

        // Not cancellable: once the MDA runs, only its status says whether the mail was delivered. A death by signal
        // is reported as .NET's Process does (128 + signal), so the shared rule makes it a temporary failure.
        var status = Libc.Wait(pid);
        return MdaExitCodes.FromMda(options.Caller, status < 0 ? 128 - status : status);
    }

    private const int ENoent = 2;

    /// <summary>Finds the MDA as <c>System.Diagnostics.Process</c> does for the managed verb: a rooted path as is, else
    /// beside this executable, in the current directory, then in $PATH (an executable file there).</summary>
    internal static string? ResolvePath(string program)
    {
        if (Path.IsPathRooted(program))
        {
            return program;
        }

        if (System.Environment.ProcessPath is { } self && Path.GetDirectoryName(self) is { } dir && File.Exists(Path.Combine(dir, program)))
        {
            return Path.Combine(dir, program);
        }

        var here = Path.Combine(Directory.GetCurrentDirectory(), program);
        if (File.Exists(here))
        {
            return here;
        }

        foreach (var d in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(d, program);
            if (File.Exists(candidate) && Libc.IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>This process's environment as NAME=value strings, as <c>Process</c> hands it to a child.</summary>
    private static List<string> Environment()
    {
        var list = new List<string>();
        foreach (DictionaryEntry e in System.Environment.GetEnvironmentVariables())
        {
            list.Add($"{e.Key}={e.Value}");
        }

        return list;
    }
}
