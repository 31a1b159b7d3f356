using Autofac;
using Microsoft.Extensions.Logging;
using Postern.Core.Quarantine;
using Postern.Host.Cli;
using Postern.Sdk.Messages;
using Postern.Sdk.Scanning;

namespace Postern.Host.Serve;

/// <summary>
/// <c>postern serve</c>: starts every agent of the active plugins and keeps them running; on SIGHUP re-reads the
/// configuration and reloads every engine's data (each engine swaps atomically and keeps its old data when the new
/// fails); on SIGTERM or SIGINT stops accepting and drains the agents within <see cref="DrainTime"/>.
/// </summary>
internal sealed partial class Daemon(HostRuntime runtime, Func<bool> recheckConfig, ILogger<Daemon> logger, IReadOnlyList<IAgent>? builtInAgents = null)
{
    /// <summary>What agents get to finish or tempfail what they hold; below systemd's 90 s stop timeout.</summary>
    public static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(60);

    private readonly List<IAgent> started = [];

    public async Task<int> RunAsync(IAsyncEnumerable<DaemonSignal> signals, CancellationToken stopping)
    {
        await StartAgentsAsync(stopping);
        LogReady(logger, started.Count, runtime.Scanner.Engines.Count);
        var sweeper = new RetentionSweeper(runtime.Plugins.Services.Resolve<IQuarantineStore>(), HostRuntime.QuarantineDirectory(runtime.Global),
            runtime.Global, TimeProvider.System, runtime.Loggers.CreateLogger<RetentionSweeper>()).RunAsync(stopping);
        try
        {
            await foreach (var signal in signals.WithCancellation(stopping))
            {
                if (signal == DaemonSignal.Reload)
                {
                    await ReloadAsync(stopping);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // SIGTERM: fall through to the drain.
        }

        await StopAgentsAsync();
        await sweeper;
        return 0;
    }

    private async Task StartAgentsAsync(CancellationToken ct)
    {
        foreach (var agent in (builtInAgents ?? []).Concat(runtime.Plugins.Agents))
        {
            try
            {
                await agent.StartAsync(ct);
                started.Add(agent);
                LogAgentStarted(logger, agent.Name);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Plugin boundary: one agent that cannot start (a port in use) must not keep the others down.
                LogAgentFailed(logger, agent.Name, e);
            }
        }
    }

    private async Task ReloadAsync(CancellationToken ct)
    {
        LogReloading(logger);
        if (!recheckConfig())
        {
            LogConfigRejected(logger);
        }

        foreach (var engine in runtime.Scanner.Engines.OfType<IReloadableEngine>())
        {
            try
            {
                var changed = await engine.ReloadAsync(ct);
                LogEngineReloaded(logger, engine.Name, changed ? "new data in service" : "unchanged", engine.Status.Detail ?? "");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Plugin boundary: the engine keeps its old data; the admin needs the reason.
                LogEngineReloadFailed(logger, engine.Name, e.Message);
            }
        }
    }

    private async Task StopAgentsAsync()
    {
        LogDraining(logger, started.Count, DrainTime.TotalSeconds);
        using var drain = new CancellationTokenSource(DrainTime);
        await Task.WhenAll(started.Select(async agent =>
        {
            try
            {
                await agent.StopAsync(drain.Token);
            }
            catch (Exception e)
            {
                // Plugin boundary at shutdown: log and let the others finish draining.
                LogAgentFailed(logger, agent.Name, e);
            }
        }));
        LogStopped(logger);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "postern serve ready: {Agents} agents, {Engines} engines")]
    private static partial void LogReady(ILogger logger, int agents, int engines);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Agent {Agent} started")]
    private static partial void LogAgentStarted(ILogger logger, string agent);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Agent {Agent} failed")]
    private static partial void LogAgentFailed(ILogger logger, string agent, Exception e);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "SIGHUP: checking the configuration and reloading engine data (listener settings take effect on restart)")]
    private static partial void LogReloading(ILogger logger);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Error, Message = "The configuration has errors; the running configuration stays in force")]
    private static partial void LogConfigRejected(ILogger logger);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Information, Message = "Engine {Engine} reloaded: {Outcome}: {Detail}")]
    private static partial void LogEngineReloaded(ILogger logger, string engine, string outcome, string detail);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Error, Message = "Engine {Engine} reload failed; its previous data stays in service: {Reason}")]
    private static partial void LogEngineReloadFailed(ILogger logger, string engine, string reason);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Stopping: draining {Agents} agents for up to {Seconds} s")]
    private static partial void LogDraining(ILogger logger, int agents, double seconds);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Information, Message = "postern serve stopped")]
    private static partial void LogStopped(ILogger logger);
}
