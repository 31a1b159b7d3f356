using System.CommandLine;
using System.Globalization;
using Postern.Core.Configuration;
using Postern.Core.Quarantine;

namespace Postern.Host.Cli;

/// <summary><c>postern quarantine list|show|release|delete|purge</c>.</summary>
internal static class QuarantineCommand
{
    public static Command Create(Option<string?> config)
    {
        var dir = new Option<string?>("--dir") { Description = "The quarantine directory (default: av_quarantine_dir)", Recursive = true };
        var root = new Command("quarantine", "List, inspect, release and delete quarantined messages") { dir };
        root.Subcommands.Add(QuarantineListCommand.Create(config, dir));
        root.Subcommands.Add(Show(config, dir));
        root.Subcommands.Add(QuarantineReleaseCommand.Create(config, dir));
        root.Subcommands.Add(Delete(config, dir));
        root.Subcommands.Add(Purge(config, dir));
        return root;
    }

    /// <summary>Opens the store named by --dir or the configuration; null (after saying why) when it cannot.</summary>
    public static FileQuarantineStore? Open(string? configPath, string? dir, out ConfigFile? file)
    {
        file = ConfigLoading.Load(configPath, Console.Error);
        if (file is null)
        {
            return null;
        }

        var path = dir ?? HostRuntime.QuarantineDirectory(file.Global);
        try
        {
            return FileQuarantineStore.Open(path, TimeProvider.System);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            Console.Error.WriteLine($"cannot open the quarantine in {path}: {e.Message}");
            return null;
        }
    }

    private static Command Show(Option<string?> config, Option<string?> dir)
    {
        var id = new Argument<string>("ID");
        var raw = new Option<bool>("--raw") { Description = "Write only the message, byte for byte, to standard output" };
        var show = new Command("show", "Show a quarantined message's envelope and verdict, then the message") { id, raw };
        show.SetAction(async (r, ct) =>
        {
            await using var store = Open(r.GetValue(config), r.GetValue(dir), out _);
            if (store is null)
            {
                return 1;
            }

            var item = await store.GetAsync(r.GetValue(id)!, ct);
            var message = item is null ? null : await store.ReadMessageAsync(item.Id, ct);
            if (item is null || message is null)
            {
                await Console.Error.WriteLineAsync($"no quarantined message {r.GetValue(id)}");
                return 1;
            }

            if (!r.GetValue(raw))
            {
                await Console.Out.WriteLineAsync(QuarantineText.Describe(item));
                await Console.Out.WriteLineAsync();
                await Console.Out.FlushAsync(ct);
            }

            await using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(message, ct);
            return 0;
        });
        return show;
    }

    private static Command Delete(Option<string?> config, Option<string?> dir)
    {
        var id = new Argument<string>("ID");
        var delete = new Command("delete", "Delete a quarantined message") { id };
        delete.SetAction(async (r, ct) =>
        {
            await using var store = Open(r.GetValue(config), r.GetValue(dir), out _);
            if (store is null)
            {
                return 1;
            }

            var done = await store.DeleteAsync(r.GetValue(id)!, ct);
            await (done ? Console.Out : Console.Error).WriteLineAsync(done ? $"deleted {r.GetValue(id)}" : $"no quarantined message {r.GetValue(id)}");
            return done ? 0 : 1;
        });
        return delete;
    }

    private static Command Purge(Option<string?> config, Option<string?> dir)
    {
        var age = new Option<string?>("--older-than") { Description = "Delete what is older than this (30d, 2w, 12h; default: av_quarantine_retention)" };
        var purge = new Command("purge", "Delete quarantined messages older than an age") { age };
        purge.SetAction(async (r, ct) =>
        {
            await using var store = Open(r.GetValue(config), r.GetValue(dir), out var file);
            var text = r.GetValue(age) ?? file?.Global.GetValueOrDefault(GlobalSettings.QuarantineRetention) ?? "30d";
            if (store is null || !AgeValue.TryParse(text, out var maxAge))
            {
                await Console.Error.WriteLineAsync(store is null ? "" : $"'{text}' is not an age (such as 30d, 2w, 12h)");
                return 1;
            }

            var n = await QuarantineRetention.SweepAsync(store, maxAge, TimeProvider.System, ct);
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"purged {n} message(s) older than {text}"));
            return 0;
        });
        return purge;
    }
}
