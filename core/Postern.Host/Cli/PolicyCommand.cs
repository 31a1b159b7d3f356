using System.CommandLine;
using Postern.Core.Policy;

namespace Postern.Host.Cli;

/// <summary><c>postern policy show --from ADDR --to ADDR [--agent NAME]</c>: every effective policy setting for that
/// mail and the section (file:line) it came from.</summary>
internal static class PolicyCommand
{
    public static Command Create(Option<string?> config)
    {
        var from = new Option<string>("--from") { Description = "The envelope sender (empty for the null sender)", Required = true };
        var to = new Option<string[]>("--to") { Description = "An envelope recipient; repeat for several", Required = true, AllowMultipleArgumentsPerToken = true };
        var agent = new Option<string>("--agent") { Description = "The agent section that receives the mail", DefaultValueFactory = _ => "smtp" };
        var show = new Command("show", "Print every effective policy setting for a sender and recipients, and where each came from") { from, to, agent };
        show.SetAction((result, ct) => ShowAsync(result.GetValue(config), result.GetValue(from)!, result.GetValue(to)!, result.GetValue(agent)!));
        return new Command("policy", "Inspect the mail policy") { show };
    }

    private static async Task<int> ShowAsync(string? path, string from, string[] to, string agent)
    {
        var file = ConfigLoading.Load(path, Console.Error);
        if (file is null)
        {
            return 1;
        }

        var policy = PolicyConfigLoader.Load(file, out var problems);
        foreach (var p in problems)
        {
            await Console.Error.WriteLineAsync(p.ToString());
        }

        var width = PolicySettings.All.Max(s => s.Name.Length);
        foreach (var recipient in to)
        {
            await Console.Out.WriteLineAsync($"# mail from <{from}> to <{recipient}> via [{agent.ToLowerInvariant()}]");
            var settings = policy.Resolve(agent, from, recipient);
            foreach (var s in settings.All)
            {
                await Console.Out.WriteLineAsync($"{s.Name.PadRight(width)} = {Quote(s.Value),-28} # {s.Origin}");
            }

            var gate = PolicyEngine.Gate(settings);
            await Console.Out.WriteLineAsync(gate == AvAction.Scan
                ? $"# => scanned; clean: accept, infected: {Name(settings, PolicySettings.ActionAvInfected)}, not scanned: {Name(settings, PolicySettings.ActionAvNotScanned)}, cleaned: {Name(settings, PolicySettings.ActionAvDeleted)}"
                : $"# => {gate.ToString().ToLowerInvariant()} without scanning");
            await Console.Out.WriteLineAsync();
        }

        return 0;
    }

    private static string Name(EffectiveSettings s, string setting) => s.Action(setting).ToString().ToLowerInvariant();

    private static string Quote(string v) => v.Length == 0 || v.Any(char.IsWhiteSpace) ? $"\"{v.Replace("\"", "\\\"", StringComparison.Ordinal)}\"" : v;
}
