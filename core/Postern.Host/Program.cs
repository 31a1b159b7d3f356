using Postern.Host.Cli;

namespace Postern.Host;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cancel = new ConsoleCancellation();
        return await CliApp.RunAsync(args, cancel.Token);
    }
}
