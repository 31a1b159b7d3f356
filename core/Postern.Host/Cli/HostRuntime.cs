using Postern.Sdk.Plugins;
using Autofac;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Postern.Core.Configuration;
using Postern.Core.Logging;
using Postern.Core.Marking;
using Postern.Core.Plugins;
using Postern.Core.Policy;
using Postern.Core.Quarantine;
using Postern.Core.Scanning;
using Postern.Extraction;
using Postern.Extraction.Buffers;
using Postern.Host.Local;
using Postern.Host.Logging;
using Postern.Protocols.Local;
using Postern.Sdk.Messages;

namespace Postern.Host.Cli;

/// <summary>
/// One process's running host: the configuration merged with command-line overrides, the plugins loaded and
/// started, and the scan path built on their engines.
/// </summary>
internal sealed partial class HostRuntime : IAsyncDisposable
{
    private HostRuntime(PluginHost plugins, HostScanner scanner, ILoggerFactory loggers, IReadOnlyDictionary<string, string> global)
    {
        Global = global;
        Plugins = plugins;
        Scanner = scanner;
        Loggers = loggers;
    }

    /// <summary>The name of the quiet dispatcher the daemon's warm-up submits through.</summary>
    public const string WarmUpDispatcher = "warm-up";

    public PluginHost Plugins { get; }

    /// <summary>The [global] settings in force: the file's, with command-line overrides on top.</summary>
    public IReadOnlyDictionary<string, string> Global { get; }

    public ILoggerFactory Loggers { get; }

    public HostScanner Scanner { get; }

    public ScanLimits Limits => Scanner.Options.Limits;

    public long SignatureCount => Scanner.Engines.Sum(e => e.Status.SignatureCount);

    /// <summary>Starts the host.</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="overrides">[global] settings from the command line.</param>
    /// <param name="stopOnFirstFinding">Stop a scan at the first finding (clamscan without --allmatch).</param>
    /// <param name="ct">Stops the start.</param>
    /// <param name="perMessage">A per-message process (plugin verbs, <c>postern mda</c>): the dispatcher hands messages to
    /// the running daemon's local socket first, and the engines load their databases only when a scan in this process
    /// needs them (no daemon), so that handing a message on costs no database load.</param>
    /// <param name="enginesOnly">Load engine plugins only (<c>postern scan</c>): no agents, no plugin verbs.</param>
    public static async Task<HostRuntime> StartAsync(
        ConfigFile config, IReadOnlyDictionary<string, string> overrides, bool stopOnFirstFinding, CancellationToken ct, bool perMessage = false,
        bool enginesOnly = false)
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
        ScanBuffers.IdleBudget = ScanOptionsReader.BufferCache(global);
        var hostOptions = new PluginHostOptions
        {
            Roots = Roots(global),
            GlobalSettings = global,
            PluginSettings = PluginSections(config),
            EngineInitializationTimeout = ScanOptionsReader.EngineInitTimeout(global),
            InitializeEngines = !perMessage,
            Kinds = enginesOnly ? new HashSet<PluginKind> { PluginKind.Engine } : null,
        };
        PluginHost? started = null;
        var plugins = await PluginHost.StartAsync(hostOptions, loggers, b =>
        {
            var hostScanner = b.Register(c => new HostScanner(c.Resolve<ActiveEngines>(), options, c.Resolve<TimeProvider>(), c.Resolve<ILoggerFactory>()))
                .AsSelf().SingleInstance();
            if (perMessage)
            {
                b.Register(c => new LazyEngineScanner(c.Resolve<HostScanner>(), () => InitializeLateAsync(started!, hostOptions, loggers)))
                    .As<IMessageScanner>().SingleInstance();
            }
            else
            {
                hostScanner.As<IMessageScanner>();
            }

            b.Register(c => new LazyQuarantineStore(QuarantineDirectory(global), c.Resolve<TimeProvider>()))
                .As<IQuarantineStore>().SingleInstance();
            PolicyDispatcher Dispatcher(IComponentContext c, IQuarantineStore? quarantine, ILoggerFactory logs, bool notifies) =>
                new(c.Resolve<IMessageScanner>(), policy, quarantine, new MessageMarker(HostInfo.Version, Environment.MachineName),
                    new NotifyCommand(logs.CreateLogger<NotifyCommand>()), c.Resolve<TimeProvider>(), logs.CreateLogger<PolicyDispatcher>())
                { NotifyTimeout = PolicyDispatcher.ReadNotifyTimeout(global), Notifies = notifies };

            b.Register(c => Dispatcher(c, c.Resolve<IQuarantineStore>(), c.Resolve<ILoggerFactory>(), notifies: true))
                .Named<IMessageDispatcher>("in-process").SingleInstance();

            // The daemon's warm-up (Serve/WarmUp.cs) goes through the same policy path without its side effects: no
            // summary line, no quarantine, no notification, even where a database of the admin's flags the sample.
            b.Register(c => Dispatcher(c, null, NullLoggerFactory.Instance, notifies: false))
                .Named<IMessageDispatcher>(WarmUpDispatcher).SingleInstance();
            var dispatcher = b.Register(c => c.ResolveNamed<IMessageDispatcher>("in-process"));
            if (perMessage)
            {
                dispatcher = b.Register(c => new DaemonFirstDispatcher(new LocalClient(LocalSocketPath(global)),
                    c.ResolveNamed<IMessageDispatcher>("in-process"), c.Resolve<ILogger<DaemonFirstDispatcher>>()));
            }

            dispatcher.As<IMessageDispatcher>().SingleInstance();
        }, ct);
        started = plugins;
        if (perMessage)
        {
            return new HostRuntime(plugins, plugins.Services.Resolve<HostScanner>(), loggers, global);
        }

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

    /// <summary>The daemon's local submission socket: <c>[global] run_dir</c>/postern.sock.</summary>
    public static string LocalSocketPath(IReadOnlyDictionary<string, string> global) =>
        Path.Combine(RunDirectory.Of(global), LocalClient.SocketName);

    private static async Task InitializeLateAsync(PluginHost plugins, PluginHostOptions options, ILoggerFactory loggers)
    {
        var failures = await plugins.InitializeEnginesAsync(options.EngineInitializationTimeout, options.TimeProvider, CancellationToken.None);
        var logger = loggers.CreateLogger<HostRuntime>();
        foreach (var failure in failures)
        {
            LogLateInitFailed(logger, failure);
        }
    }

    [LoggerMessage(EventId = 6003, Level = LogLevel.Error, Message = "Engine out of service, messages will be not scanned: {Reason}")]
    private static partial void LogLateInitFailed(ILogger logger, string reason);

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
