using System.CommandLine;
using Postern.Sdk.Cli;

namespace Postern.Host.Cli;

/// <summary>Runs a verb a plugin contributed (<c>postern setup postfix ...</c>), or adds them to the help.</summary>
internal static class PluginVerbs
{
    /// <summary>The verb's exit code (78 when the configuration cannot be read), or <c>null</c> when no plugin verb
    /// matches and the built-in parser should answer (with its help or its error).</summary>
    public static async Task<int?> TryRunAsync(RootCommand root, string[] args, CancellationToken ct)
    {
        var (configPath, rest) = SplitConfig(args);
        // A broken -c file is reported, never replaced by the embedded defaults behind the admin's back.
        // EX_CONFIG (78): sendmail and Postfix read it as a temporary configuration error.
        if (ConfigLoading.Load(configPath, Console.Error) is not { } config)
        {
            return 78;
        }

        await using var runtime = await HostRuntime.StartAsync(config, new Dictionary<string, string>(), stopOnFirstFinding: false, ct, perMessage: true);
        var verb = runtime.Plugins.Verbs
            .Where(v => v.Path.Count <= rest.Length && v.Path.SequenceEqual(rest.Take(v.Path.Count), StringComparer.Ordinal))
            .MaxBy(v => v.Path.Count);
        if (verb is null)
        {
            foreach (var v in runtime.Plugins.Verbs)
            {
                root.Subcommands.Add(new Command(string.Join(' ', v.Path).Replace(' ', '-'), v.Description + " (plugin verb)"));
            }

            return null;
        }

        var invocation = new CliInvocation(rest[verb.Path.Count..], Console.OpenStandardInput(), Console.Out, Console.Error, configPath);
        try
        {
            return await verb.RunAsync(invocation, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Plugin boundary: the caller (often an MTA) reads only the exit code.
            await Console.Error.WriteLineAsync($"postern {string.Join(' ', verb.Path)}: {e.GetType().Name}: {e.Message}");
            return verb.FailureExitCode;
        }
    }

    /// <summary>The arguments without <c>-c FILE</c>, whose first word names the verb.</summary>
    public static string[] WithoutConfig(string[] args) => SplitConfig(args).Remaining;

    private static (string? Config, string[] Remaining) SplitConfig(string[] args)
    {
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] is "-c" or "--config")
            {
                return (args[i + 1], [.. args[..i], .. args[(i + 2)..]]);
            }
        }

        return (null, args);
    }
}
