using System.CommandLine;
using System.Text.Json;

namespace Postern.Host.Cli;

/// <summary><c>postern plugins list</c>: every plugin found, whether it is in service, and why not.</summary>
internal static class PluginsCommand
{
    public static Command Create(Option<string?> config)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table" };
        var list = new Command("list", "List plugins: id, version, kind, SDK, status and reason") { json };
        list.SetAction((result, ct) => ListAsync(result.GetValue(config), result.GetValue(json), ct));
        return new Command("plugins", "Inspect the installed plugins") { list };
    }

    private static async Task<int> ListAsync(string? configPath, bool asJson, CancellationToken ct)
    {
        var config = ConfigLoading.Load(configPath, Console.Error);
        if (config is null)
        {
            return 2;
        }

        await using var runtime = await HostRuntime.StartAsync(config, new Dictionary<string, string>(), stopOnFirstFinding: true, ct);
        var rows = runtime.Plugins.Plugins;
        if (asJson)
        {
            var items = rows.Select(p => new
            {
                id = p.Id,
                version = p.Version,
                kind = p.Kind?.ToString().ToLowerInvariant(),
                sdk = p.MinimumSdk?.ToString(),
                status = p.State.ToString(),
                reason = p.Reason,
                directory = p.Directory,
            });
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(items, JsonOptions));
            return 0;
        }

        var table = new List<string[]> { new[] { "ID", "VERSION", "KIND", "SDK", "STATUS", "REASON" } };
        table.AddRange(rows.Select(p => new[]
        {
            p.Id, p.Version ?? "-", p.Kind?.ToString().ToLowerInvariant() ?? "-", p.MinimumSdk?.ToString() ?? "-", p.State.ToString(), p.Reason ?? "",
        }));
        var widths = Enumerable.Range(0, 5).Select(i => table.Max(r => r[i].Length)).ToArray();
        foreach (var r in table)
        {
            await Console.Out.WriteLineAsync(string.Join("  ", r.Take(5).Select((c, i) => c.PadRight(widths[i]))) + "  " + r[5]);
        }

        return 0;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
}
