using Postern.Host.Cli;

namespace Postern.Host;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cancel = new ConsoleCancellation();

        // A per-message program: decided here, so that not even the command-line parser's assembly is loaded
        // (CliApp's method references it). What follows "--" belongs to the real MDA, its own -c included.
        if (Mda.MdaOptions.Matches(args))
        {
            return await Mda.MdaCommand.RunAsync(args, Console.Out, Console.Error, Console.OpenStandardInput(), cancel.Token);
        }

        return await CliApp.RunAsync(args, cancel.Token);
    }
}
