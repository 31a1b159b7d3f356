using Postern.Host.Mda;

namespace Postern.Mda.Native;

/// <summary>
/// With no daemon, <c>postern-mda</c> becomes the managed <c>postern mda --no-daemon</c> (the apphost in its own
/// folder) by <c>execv</c>: same process, same caller, same environment, and standard input the spooled message from
/// its first byte, so nothing read is lost. The managed verb then loads the engines and scans in-process.
/// </summary>
internal static class ManagedFallback
{
    /// <summary>The managed executable, beside this one (symbolic links resolved, as the kernel reports our path).</summary>
    public static string Executable => Path.Combine(AppContext.BaseDirectory, "postern");

    /// <summary>Execs the managed verb; returns only when that failed, with the caller's temporary code.</summary>
    /// <param name="argv">The command line with the <c>mda</c> verb in it.</param>
    /// <param name="spool">What was read from standard input, or null when nothing was.</param>
    /// <param name="caller">For the exit code when the exec fails.</param>
    /// <param name="stderr">Where that failure is told.</param>
    public static int Exec(string[] argv, FdSpool? spool, MdaCaller caller, TextWriter stderr)
    {
        var verb = MdaOptions.VerbIndex(argv);
        string[] args = ["postern", "mda", "--no-daemon", .. argv[..verb], .. argv[(verb + 1)..]];
        spool?.BecomeStandardInput();
        Console.Out.Flush();
        stderr.Flush();
        var errno = Libc.Exec(Executable, args);
        stderr.WriteLine(MdaReplies.CannotRun(Executable, Libc.Describe(errno)));
        return MdaExitCodes.TempFail(caller);
    }
}
