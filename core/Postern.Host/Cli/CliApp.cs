using System.CommandLine;

namespace Postern.Host.Cli;

/// <summary>
/// The <c>postern</c> command line: built-in verbs parsed by System.CommandLine, and verbs contributed by plugins,
/// which are only loaded when the first word is not a built-in verb (so <c>postern scan</c> does not pay for them).
/// </summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var config = new Option<string?>("--config", "-c")
        {
            Description = "The postern.conf to use (default: the embedded defaults)",
            Recursive = true,
        };
        var root = new RootCommand("Postern: plugin-based mail security for Unix mail servers") { config };
        root.Subcommands.Add(ScanCommand.Create(config));
        root.Subcommands.Add(PluginsCommand.Create(config));
        root.Subcommands.Add(ConfigCommand.Create(config));
        root.Subcommands.Add(PolicyCommand.Create(config));
        root.Subcommands.Add(QuarantineCommand.Create(config));
        root.Subcommands.Add(ServeCommand.Create(config));
        root.Subcommands.Add(new Command("mda", "Delivery wrapper: scan standard input, then pipe it into the real MDA (postern mda --help)"));

        var verb = PluginVerbs.WithoutConfig(args);
        var builtIn = verb.Length == 0 || verb[0].StartsWith('-') || root.Subcommands.Any(c => c.Name == verb[0]);
        if (!builtIn || args is ["--help"] or ["-h"])
        {
            var code = await PluginVerbs.TryRunAsync(root, args, cancellationToken);
            if (code is not null)
            {
                return code.Value;
            }
        }

        // Our own SIGINT/SIGTERM handling (ConsoleCancellation) drains; System.CommandLine must not race it.
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, cancellationToken);
    }
}
