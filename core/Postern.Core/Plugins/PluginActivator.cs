using System.Reflection;
using Autofac;
using Microsoft.Extensions.DependencyInjection;
using Postern.Sdk.Cli;
using Postern.Sdk.Messages;
using Postern.Sdk.Plugins;
using Postern.Sdk.Scanning;

namespace Postern.Core.Plugins;

/// <summary>
/// Starts a loaded plugin: creates its <see cref="IPluginStartup"/>, lets it fill a fresh <see cref="ServiceCollection"/>,
/// and gives it a lifetime scope of its own under the host's scope, tied to its load context.
/// </summary>
/// <remarks>
/// One scope per plugin keeps registrations private (two plugins may both register an <c>IOptions</c> or a cache
/// without seeing each other's) while host services resolve from the parent. <c>BeginLoadContextLifetimeScope</c> tells
/// Autofac which load context the scope's types come from, so its reflection caches never hold a plugin's types
/// beyond the scope. Every failure becomes a <see cref="PluginActivationException"/> naming the stage.
/// </remarks>
internal sealed class PluginActivator(ILifetimeScope hostScope)
{
    public PluginActivation Activate(LoadedPluginAssembly assembly, PluginContext context)
    {
        var startup = CreateStartup(assembly.EntryAssembly);
        var services = new ServiceCollection();
        try
        {
            startup.ConfigureServices(services, context);
        }
        catch (Exception ex) // Plugin boundary: a plugin's startup may throw anything; it costs the plugin, not the host.
        {
            throw new PluginActivationException($"ConfigureServices threw {PluginFailure.Describe(ex)}", ex);
        }

        PluginServiceRegistrations? registrations = null;
        var scope = hostScope.BeginLoadContextLifetimeScope(context.PluginId, assembly.LoadContext,
            builder => registrations = PluginServiceRegistrations.Register(builder, services));
        try
        {
            var engines = registrations!.ResolveAll<IScanEngine>(scope);
            var verbs = registrations.ResolveAll<ICliVerb>(scope);
            var agents = registrations.ResolveAll<IAgent>(scope);
            return new PluginActivation(scope, assembly, engines, verbs, agents, Summarize(engines, verbs, agents));
        }
        catch (Exception ex) // Plugin boundary: constructors of plugin services run here.
        {
            scope.Dispose();
            throw new PluginActivationException($"resolving its services failed: {PluginFailure.Describe(ex)}", ex);
        }
    }

    // Names are plugin code too, so they are read here, inside the boundary, and only once.
    private static string Summarize(IScanEngine[] engines, ICliVerb[] verbs, IAgent[] agents) =>
        $"engines [{string.Join(", ", engines.Select(e => e.Name))}], "
        + $"verbs [{string.Join(", ", verbs.Select(v => string.Join(' ', v.Path)))}], "
        + $"agents [{string.Join(", ", agents.Select(a => a.Name))}]";

    private static IPluginStartup CreateStartup(Assembly entryAssembly)
    {
        Type[] candidates;
        try
        {
            candidates = [.. entryAssembly.GetExportedTypes().Where(t => t is { IsClass: true, IsAbstract: false }
                && typeof(IPluginStartup).IsAssignableFrom(t))];
        }
        catch (Exception ex) // Plugin boundary: a missing dependency of the entry assembly surfaces here.
        {
            throw new PluginActivationException($"its types could not be read: {PluginFailure.Describe(ex)}", ex);
        }

        var name = entryAssembly.GetName().Name;
        if (candidates.Length != 1)
        {
            throw new PluginActivationException(candidates.Length == 0
                ? $"{name} has no public {nameof(IPluginStartup)} class"
                : $"{name} has {candidates.Length} public {nameof(IPluginStartup)} classes ({string.Join(", ", candidates.Select(t => t.FullName))}); it must have one");
        }

        try
        {
            return (IPluginStartup)Activator.CreateInstance(candidates[0])!;
        }
        catch (Exception ex) // Plugin boundary: the startup's constructor is plugin code.
        {
            throw new PluginActivationException($"creating {candidates[0].FullName} failed: {PluginFailure.Describe(ex)}", ex);
        }
    }
}
