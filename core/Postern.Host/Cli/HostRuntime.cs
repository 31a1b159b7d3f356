using Autofac;
using Microsoft.Extensions.Logging;
using Postern.Core.Configuration;
using Postern.Core.Logging;
using Postern.Core.Marking;
using Postern.Core.Plugins;
using Postern.Core.Policy;
using Postern.Core.Quarantine;
using Postern.Core.Scanning;
using Postern.Extraction;
using Postern.Host.Logging;
using Postern.Sdk.Messages;

namespace Postern.Host.Cli;

/// <summary>
/// One process's running host: the configuration merged with command-line overrides, the plugins loaded and
/// started, and the scan path built on their engines.
/// </summary>
internal sealed class HostRuntime : IAsyncDisposable
{
    private HostRuntime(PluginHost plugins, HostScanner scanner, ILoggerFactory loggers, IReadOnlyDictionary<string, string> global)
    {
        Global = global;
        Plugins = plugins;
        Scanner = scanner;
        Loggers = loggers;
    }

    public PluginHost Plugins { get; }

    /// <summary>The [global] settings in force: the file's, with command-line overrides on top.</summary>
    public IReadOnlyDictionary<string, string> Global { get; }

    public ILoggerFactory Loggers { get; }

    public HostScanner Scanner { get; }

    public ScanLimits Limits => Scanner.Options.Limits;

    public long SignatureCount => Scanner.Engines.Sum(e => e.Status.SignatureCount);

    public static async Task<HostRuntime> StartAsync(
        ConfigFile config, IReadOnlyDictionary<string, string> overrides, bool stopOnFirstFinding, CancellationToken ct)
    {
        var global = new Dictionary<string, string>(config.Global, StringComparer.Ordinal);
        foreach (var (k, v) in overrides)
        {
            global[k] = v;
        }

        var loggers = LoggingSetup.Create(global.GetValueOrDefault(GlobalSettings.LogLevel), LogLevel.Warning);
        SyslogSetup.AddTo(loggers, global, SyslogMapping.Level(global.GetValueOrDefault(GlobalSettings.LogLevel)) ?? LogLevel.Information, TimeProvider.System);
        var policy = PolicyConfigLoader.Load(config, out _);
        var options = ScanOptionsReader.Read(global) with { StopOnFirstFinding = stopOnFirstFinding };
        var hostOptions = new PluginHostOptions
        {
            Roots = Roots(global),
            GlobalSettings = global,
            PluginSettings = PluginSections(config),
            EngineInitializationTimeout = ScanOptionsReader.EngineInitTimeout(global),
        };
        var plugins = await PluginHost.StartAsync(hostOptions, loggers, b =>
        {
            b.Register(c => new HostScanner(c.Resolve<ActiveEngines>(), options, c.Resolve<TimeProvider>(), c.Resolve<ILoggerFactory>()))
                .AsSelf().As<IMessageScanner>().SingleInstance();
            b.Register(c => new LazyQuarantineStore(QuarantineDirectory(global), c.Resolve<TimeProvider>()))
                .As<IQuarantineStore>().SingleInstance();
            b.Register(c => new PolicyDispatcher(c.Resolve<IMessageScanner>(), policy, c.Resolve<IQuarantineStore>(),
                    new MessageMarker(HostInfo.Version, Environment.MachineName), new NotifyCommand(c.Resolve<ILogger<NotifyCommand>>()),
                    c.Resolve<TimeProvider>(), c.Resolve<ILogger<PolicyDispatcher>>())
                { NotifyTimeout = PolicyDispatcher.ReadNotifyTimeout(global) })
                .As<IMessageDispatcher>().SingleInstance();
        }, ct);
        // Loading signature databases leaves parse garbage several times the size of what stays; hand it back to the
        // system once, so a long-running process does not sit on it (measured: 64 MiB of RSS for gen_corpus's 70,000
        // signatures).
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return new HostRuntime(plugins, plugins.Services.Resolve<HostScanner>(), loggers, global);
    }

    /// <summary>The ids of the plugins a configuration would load, read from their manifests without loading code.</summary>
    public static IReadOnlyCollection<string> DiscoverPluginIds(ConfigFile config)
    {
        var catalog = new PluginCatalog(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        return [.. catalog.Discover(Roots(config.Global)).Select(c => c.Id)];
    }

    public async ValueTask DisposeAsync()
    {
        await Plugins.DisposeAsync();
        Loggers.Dispose();
    }

    public static string QuarantineDirectory(IReadOnlyDictionary<string, string> global) =>
        global.GetValueOrDefault(GlobalSettings.QuarantineDir) is { Length: > 0 } d ? d : "/var/lib/postern/quarantine";

    private static IReadOnlyList<string> Roots(IReadOnlyDictionary<string, string> global) =>
        [PluginHostOptions.DefaultRoot, .. (global.GetValueOrDefault(GlobalSettings.PluginDir) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static Dictionary<string, IReadOnlyDictionary<string, string>> PluginSections(ConfigFile config)
    {
        var sections = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in config.Sections.Where(s => !s.Name.Equals("global", StringComparison.OrdinalIgnoreCase)))
        {
            sections[s.Name] = config.Section(s.Name);
        }

        return sections;
    }
}
