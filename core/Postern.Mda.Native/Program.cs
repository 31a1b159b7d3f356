using Postern.Host.Cli;
using Postern.Host.Mda;

namespace Postern.Mda.Native;

internal static class Program
{
    /// <summary><c>postern-mda [-c FILE] [options] -- REAL-MDA ARGS...</c>: the arguments of <c>postern mda</c>, with or
    /// without the verb itself (so <c>./postern</c> can pass its own command line through unchanged).</summary>
    public static int Main(string[] args)
    {
        string[] argv = MdaOptions.Matches(args) ? args : ["mda", .. args];
        var (options, error) = MdaOptions.Parse(argv, Environment.GetEnvironmentVariable);
        if (options is null)
        {
            // A broken mailbox_command is the admin's to fix; the mail waits in the queue meanwhile.
            Console.Error.WriteLine(MdaReplies.UsageError(error!));
            return MdaExitCodes.TempFail(MdaOptions.CallerHint(argv));
        }

        if (options.Help)
        {
            Console.Out.WriteLine(MdaOptions.Usage);
            return 0;
        }

        using var cancel = new ConsoleCancellation();
        try
        {
            return DaemonMdaCommand.Run(options, argv, Console.Out, Console.Error, cancel.Token);
        }
        catch (Exception e)
        {
            // Boundary: whatever went wrong, the MTA keeps the message and retries.
            Console.Error.WriteLine(MdaReplies.Failure(e));
            return MdaExitCodes.TempFail(options.Caller);
        }
    }
}
