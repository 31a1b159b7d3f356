using Autofac;
using Microsoft.Extensions.Logging;
using Postern.Sdk.Cli;
using Postern.Sdk.Messages;
using Postern.Sdk.Plugins;
using Postern.Sdk.Scanning;

namespace Postern.Core.Plugins;

/// <summary>
/// Finds, checks, loads, activates and initialises every plugin under the configured roots, and keeps them alive until
/// disposed. A plugin that is refused or fails ends with a <see cref="PluginRecord"/> and a log line; it never stops the
/// host.
/// </summary>
/// <remarks>
/// <para>Each plugin runs in its own <c>AssemblyLoadContext</c> (its private dependencies are its own) and its own Autofac
/// lifetime scope under <see cref="Services"/>, the host container. The host container holds <see cref="ILoggerFactory"/>,
/// <c>ILogger&lt;T&gt;</c>, <see cref="TimeProvider"/>, <see cref="ActiveEngines"/> and whatever the caller registers:
/// <see cref="IMessageScanner"/> and <see cref="IMessageDispatcher"/>, which plugins take as constructor parameters.</para>
/// <para>The cycle between the scanner (needs the engines) and the plugins (need the scanner) is broken by
/// <see cref="ActiveEngines"/>: register the scanner as a single instance that takes <see cref="ActiveEngines"/> and reads
/// <see cref="ActiveEngines.Engines"/> when it scans; it is published just before <see cref="StartAsync"/> returns.
/// Do not register <see cref="IScanEngine"/>, <see cref="ICliVerb"/> or <see cref="IAgent"/> in the host container: every
/// plugin scope would see them as its own.</para>
/// <para>Threading: <see cref="StartAsync"/> and <see cref="DisposeAsync"/> once each; the lists are immutable.</para>
/// </remarks>
public sealed class PluginHost : IAsyncDisposable
{
    private readonly IContainer _container;
    private readonly IReadOnlyList<PluginOutcome> _outcomes;
    private readonly ILogger _logger;
    private int _disposed;

    private PluginHost(IContainer container, IReadOnlyList<PluginOutcome> outcomes, ILogger logger)
    {
        _container = container;
        _outcomes = outcomes;
        _logger = logger;
        Plugins = [.. outcomes.Select(o => o.Record)];
        var active = outcomes.Where(o => o.Record.State == PluginState.Active && o.Activation is not null).Select(o => o.Activation!).ToArray();
        Engines = [.. active.SelectMany(a => a.Engines)];
        Verbs = [.. active.SelectMany(a => a.Verbs)];
        Agents = [.. active.SelectMany(a => a.Agents)];
    }

    /// <summary>Every plugin folder found, in discovery order (roots in order, folders by ordinal name), with its outcome.</summary>
    public IReadOnlyList<PluginRecord> Plugins { get; }

    /// <summary>The engines of active plugins, in <see cref="Plugins"/> order, then in each plugin's registration order.</summary>
    public IReadOnlyList<IScanEngine> Engines { get; }

    /// <summary>The CLI verbs of active plugins, ordered as <see cref="Engines"/>.</summary>
    public IReadOnlyList<ICliVerb> Verbs { get; }

    /// <summary>The agents of active plugins, ordered as <see cref="Engines"/>; not started: the caller starts them.</summary>
    public IReadOnlyList<IAgent> Agents { get; }

    /// <summary>The host container: resolve the host's own services (<see cref="IMessageDispatcher"/>) from here.</summary>
    public ILifetimeScope Services => _container;

    /// <summary>Loads every plugin under <see cref="PluginHostOptions.Roots"/> and, unless told not to, initialises its engines.</summary>
    /// <param name="options">Roots, settings and the initialisation time limit.</param>
    /// <param name="loggerFactory">The host's logging; registered in the host container for plugins too.</param>
    /// <param name="registerHostServices">Registers the host's shared services (<see cref="IMessageScanner"/>,
    /// <see cref="IMessageDispatcher"/>, ...) into the host container; registrations made here override the defaults.</param>
    /// <param name="cancellationToken">Stops the start; everything begun is disposed and <see cref="OperationCanceledException"/> thrown.</param>
    /// <returns>The started host; plugin failures are in <see cref="Plugins"/>, never thrown.</returns>
    public static Task<PluginHost> StartAsync(
        PluginHostOptions options,
        ILoggerFactory loggerFactory,
        Action<ContainerBuilder> registerHostServices,
        CancellationToken cancellationToken) =>
        StartCoreAsync(options, loggerFactory, registerHostServices, new McMasterPluginAssemblyLoader(), cancellationToken);

    internal static async Task<PluginHost> StartCoreAsync(
        PluginHostOptions options,
        ILoggerFactory loggerFactory,
        Action<ContainerBuilder> registerHostServices,
        IPluginAssemblyLoader loader,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.EngineInitializationTimeout, TimeSpan.Zero);
        var logger = loggerFactory.CreateLogger<PluginHost>();
        var activeEngines = new ActiveEngines();
        var container = HostContainer.Build(loggerFactory, options.TimeProvider, activeEngines, registerHostServices);
        var outcomes = new List<PluginOutcome>();
        var started = false;
        try
        {
            var starter = new PluginStarter(loader, new PluginActivator(container), options);
            foreach (var candidate in new PluginCatalog(logger).Discover(options.Roots))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (options.Kinds is { } kinds && candidate.Manifest is { } manifest && !kinds.Contains(manifest.Kind))
                {
                    continue;
                }

                outcomes.Add(starter.Start(candidate));
            }

            if (options.InitializeEngines)
            {
                var initializer = new EngineInitializer(options.EngineInitializationTimeout, options.TimeProvider);
                outcomes = [.. await Task.WhenAll(outcomes.Select(o => InitializeAsync(o, initializer, cancellationToken)))];
            }

            started = true;
        }
        finally
        {
            // Cancelled (or a bug of ours): release every scope already begun before the exception leaves.
            if (!started)
            {
                await new PluginHost(container, outcomes, logger).DisposeAsync();
            }
        }

        var host = new PluginHost(container, outcomes, logger);
        foreach (var outcome in outcomes)
        {
            PluginHostLog.Outcome(logger, outcome);
        }

        activeEngines.Publish(host.Engines);
        return host;
    }

    /// <summary>
    /// For a host started with <see cref="PluginHostOptions.InitializeEngines"/> off (a per-message program that first
    /// tries the daemon): initialises the engines of the active plugins now, each plugin's under the same time limit.
    /// An engine that fails stays out of service (it is not Ready, so scans report "not scanned"); the reasons are
    /// returned, one per failed plugin, for the log. Call it at most once.
    /// </summary>
    /// <param name="timeout">The time each plugin's engines get (<c>engine_init_timeout</c>).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async Task<IReadOnlyList<string>> InitializeEnginesAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var initializer = new EngineInitializer(timeout, timeProvider);
        var failures = await Task.WhenAll(_outcomes
            .Where(o => o.Record.State == PluginState.Active && o.Activation is { Engines.Count: > 0 })
            .Select(o => initializer.InitializeAsync(o.Activation!.Engines, cancellationToken)));
        return [.. failures.OfType<string>()];
    }

    /// <summary>Disposes every plugin's scope (a failure is logged, not thrown), then the host container.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var outcome in _outcomes.Reverse())
        {
            if (outcome.Activation is not { } activation)
            {
                continue;
            }

            try
            {
                await activation.DisposeAsync();
            }
            catch (Exception ex) // Plugin boundary: a plugin's Dispose must not keep the others from shutting down.
            {
                PluginHostLog.DisposeFailed(_logger, ex, outcome.Record.Id);
            }
        }

        await _container.DisposeAsync();
    }

    private static async Task<PluginOutcome> InitializeAsync(PluginOutcome outcome, EngineInitializer initializer, CancellationToken cancellationToken)
    {
        if (outcome.Activation is not { Engines.Count: > 0 } activation)
        {
            return outcome;
        }

        return await initializer.InitializeAsync(activation.Engines, cancellationToken) is { } failure
            ? outcome with { Record = outcome.Record with { State = PluginState.Malfunctioned, Reason = failure } }
            : outcome;
    }
}
