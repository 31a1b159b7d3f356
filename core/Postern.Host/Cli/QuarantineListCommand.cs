using System.CommandLine;
using System.Globalization;
using Postern.Core.Quarantine;

namespace Postern.Host.Cli;

/// <summary><c>postern quarantine list [--since/--until/--from/--to/--detection] [--json]</c>.</summary>
internal static class QuarantineListCommand
{
    public static Command Create(Option<string?> config, Option<string?> dir)
    {
        var since = new Option<string?>("--since") { Description = "Received at or after: a date (2025-03-01, ISO 8601) or an age (2d, 12h)" };
        var until = new Option<string?>("--until") { Description = "Received before: a date or an age" };
        var from = new Option<string?>("--from") { Description = "Sender address, or @domain" };
        var to = new Option<string?>("--to") { Description = "Recipient address, or @domain" };
        var detection = new Option<string?>("--detection") { Description = "Part of a detection name" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var list = new Command("list", "List quarantined messages, oldest first") { since, until, from, to, detection, json };
        list.SetAction(async (r, ct) =>
        {
            await using var store = QuarantineCommand.Open(r.GetValue(config), r.GetValue(dir), out _);
            if (store is null || !TryTime(r.GetValue(since), out var s) || !TryTime(r.GetValue(until), out var u))
            {
                await Console.Error.WriteLineAsync(store is null ? "" : "--since/--until: give a date (2025-03-01) or an age (2d)");
                return store is null ? 1 : 2;
            }

            var items = await store.ListAsync(new QuarantineFilter
            {
                Since = s, Until = u, From = r.GetValue(from), To = r.GetValue(to), Detection = r.GetValue(detection),
            }, ct);
            await Console.Out.WriteLineAsync(r.GetValue(json) ? QuarantineText.ToJson(items) : string.Join('\n', items.Select(QuarantineText.Line)));
            return 0;
        });
        return list;
    }

    private static bool TryTime(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (text is null)
        {
            return true;
        }

        if (AgeValue.TryParse(text, out var age))
        {
            time = DateTimeOffset.UtcNow - age;
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
        {
            time = t;
            return true;
        }

        return false;
    }
}
