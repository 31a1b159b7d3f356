using System.CommandLine;
using Postern.Core.Configuration;

namespace Postern.Host.Cli;

/// <summary><c>postern config check [FILE]</c>: every problem with file and line; exit 1 when there are errors.</summary>
internal static class ConfigCommand
{
    public static Command Create(Option<string?> config)
    {
        var file = new Argument<string?>("FILE") { Description = "The file to check (default: the one given with -c)", Arity = ArgumentArity.ZeroOrOne };
        var check = new Command("check", "Check a postern.conf and report every problem with its file and line") { file };
        check.SetAction((result, ct) => CheckAsync(result.GetValue(file) ?? result.GetValue(config)));
        return new Command("config", "Work with postern.conf") { check };
    }

    private static async Task<int> CheckAsync(string? path)
    {
        if (path is null)
        {
            await Console.Out.WriteLineAsync("no configuration file given: the embedded defaults are in use");
            return 0;
        }

        var parsed = ConfigParser.Load(path);
        var pluginIds = HostRuntime.DiscoverPluginIds(parsed);
        var diagnostics = ConfigValidator.Validate(parsed, pluginIds);
        foreach (var d in diagnostics)
        {
            await Console.Error.WriteLineAsync(d.ToString());
        }

        var errors = diagnostics.Count(d => d.Severity == ConfigSeverity.Error);
        var warnings = diagnostics.Count - errors;
        await Console.Out.WriteLineAsync(errors == 0 && warnings == 0
            ? $"{path}: OK"
            : $"{path}: {errors} error(s), {warnings} warning(s)");
        return errors == 0 ? 0 : 1;
    }
}
