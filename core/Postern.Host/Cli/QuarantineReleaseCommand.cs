using System.CommandLine;
using Postern.Core.Configuration;
using Postern.Core.Quarantine;
using Postern.Protocols.Smtp;

namespace Postern.Host.Cli;

/// <summary><c>postern quarantine release ID [--force] [--to ADDR...] [--server HOST:PORT]</c>: rescans with the
/// engines in service now and reinjects over SMTP; exit 0 only when the server took it.</summary>
internal static class QuarantineReleaseCommand
{
    public static Command Create(Option<string?> config, Option<string?> dir)
    {
        var id = new Argument<string>("ID");
        var force = new Option<bool>("--force") { Description = "Release even if the rescan still finds something" };
        var to = new Option<string[]>("--to") { Description = "Deliver to these recipients instead of the original ones", AllowMultipleArgumentsPerToken = true };
        var server = new Option<string?>("--server") { Description = "host:port to reinject to (default: quarantine_release_server)" };
        var release = new Command("release", "Rescan a quarantined message and reinject it over SMTP with its original envelope") { id, force, to, server };
        release.SetAction(async (r, ct) =>
        {
            await using var store = QuarantineCommand.Open(r.GetValue(config), r.GetValue(dir), out var file);
            if (store is null || file is null)
            {
                return 1;
            }

            (string Host, int Port) target;
            try
            {
                target = QuarantineRelease.ParseServer(r.GetValue(server) ?? file.Global.GetValueOrDefault(GlobalSettings.QuarantineReleaseServer) ?? "127.0.0.1:10026");
            }
            catch (FormatException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }

            await using var runtime = await HostRuntime.StartAsync(file, new Dictionary<string, string>(), stopOnFirstFinding: false, ct);
            var smtp = new SmtpClient(new SmtpClientOptions { HeloName = Environment.MachineName });
            var (outcome, detail) = await new QuarantineRelease(store, runtime.Scanner, smtp, TimeProvider.System)
                .ReleaseAsync(r.GetValue(id)!, r.GetValue(force), r.GetValue(to), target.Host, target.Port, ct);
            await (outcome == ReleaseOutcome.Released ? Console.Out : Console.Error).WriteLineAsync(detail);
            return outcome == ReleaseOutcome.Released ? 0 : 1;
        });
        return release;
    }
}
