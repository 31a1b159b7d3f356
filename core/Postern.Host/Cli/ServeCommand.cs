using System.CommandLine;
using Microsoft.Extensions.Logging;
using Postern.Core.Configuration;
using Autofac;
using Postern.Host.Serve;
using Postern.Sdk.Messages;

namespace Postern.Host.Cli;

/// <summary><c>postern serve</c>: the daemon, in the foreground (systemd runs it as Type=simple).</summary>
internal static class ServeCommand
{
    /// <summary>EX_CONFIG from sysexits.h: systemd and admins read it as "fix the configuration".</summary>
    private const int ConfigError = 78;

    /// <summary><c>scan_buffer_cache</c> for the daemon when postern.conf does not set it (4M elsewhere).</summary>
    internal const string DaemonBufferCache = "16M";

    public static Command Create(Option<string?> config)
    {
        var command = new Command("serve", "Run the daemon: start every agent, reload on SIGHUP, drain on SIGTERM");
        command.SetAction((result, ct) => RunAsync(result.GetValue(config), ct));
        return command;
    }

    private static async Task<int> RunAsync(string? configPath, CancellationToken ct)
    {
        DaemonRestart.Apply(Console.Error);
        var config = ConfigLoading.Load(configPath, Console.Error);
        if (config is null || !Valid(config, Console.Error))
        {
            return ConfigError;
        }

        using var signals = new SignalChannel();
        var overrides = new Dictionary<string, string>();
        if (!config.Global.ContainsKey(GlobalSettings.LogLevel))
        {
            overrides[GlobalSettings.LogLevel] = "info";
        }

        // A daemon keeps more of its large buffers for the next message than a one-off scan (see DaemonRestart).
        if (!config.Global.ContainsKey(GlobalSettings.ScanBufferCache))
        {
            overrides[GlobalSettings.ScanBufferCache] = DaemonBufferCache;
        }

        await using var runtime = await HostRuntime.StartAsync(config, overrides, stopOnFirstFinding: false, ct);
        await WarmUp.RunAsync(runtime.Plugins.Services.ResolveNamed<IMessageDispatcher>(HostRuntime.WarmUpDispatcher), runtime.Plugins.Agents,
            WarmUp.Concurrency(runtime.Scanner.Options), runtime.Loggers.CreateLogger("Postern.Host.Serve.WarmUp"), ct);
        // The built-in local submission socket, for per-message programs (postern mda, qmail-queue, zmailer).
        using var local = new LocalAgent(runtime.Plugins.Services.Resolve<IMessageDispatcher>(), HostRuntime.LocalSocketPath(runtime.Global),
            runtime.Loggers.CreateLogger<LocalAgent>());
        var daemon = new Daemon(runtime, () => Recheck(configPath), runtime.Loggers.CreateLogger<Daemon>(), [local]);
        return await daemon.RunAsync(signals.Signals(ct), ct);
    }

    private static bool Recheck(string? configPath) =>
        configPath is null || (ConfigLoading.Load(configPath, Console.Error) is { } file && Valid(file, Console.Error));

    private static bool Valid(ConfigFile config, TextWriter error)
    {
        var diagnostics = ConfigValidator.Validate(config, HostRuntime.DiscoverPluginIds(config));
        foreach (var d in diagnostics.Where(d => d.Severity == ConfigSeverity.Error))
        {
            error.WriteLine(d.ToString());
        }

        return diagnostics.All(d => d.Severity != ConfigSeverity.Error);
    }
}
