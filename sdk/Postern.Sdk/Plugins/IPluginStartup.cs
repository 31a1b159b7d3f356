using Microsoft.Extensions.DependencyInjection;

namespace Postern.Sdk.Plugins;

/// <summary>
/// The entry point of a plugin: the host finds the one public, non-abstract implementation in the
/// plugin's entry assembly, creates it with its parameterless constructor and calls
/// <see cref="ConfigureServices"/> once, before anything of the plugin is resolved.
/// </summary>
/// <remarks>
/// <para>Threading: called once, on one thread, while the host starts. Nothing else of the plugin runs
/// concurrently with it.</para>
/// <para>Errors: an exception thrown here marks the plugin <see cref="PluginState.Malfunctioned"/> with the
/// exception's message as the reason; the host goes on without it. Register services here, do no I/O: work
/// that can fail at run time (loading a database, opening a socket) belongs in the services' own start
/// methods, such as <see cref="Scanning.IScanEngine.InitializeAsync"/>.</para>
/// <para>What to register: implementations of <see cref="Scanning.IScanEngine"/>,
/// <see cref="Cli.ICliVerb"/> and <see cref="Messages.IAgent"/>. Services the host provides
/// (<see cref="Messages.IMessageScanner"/>, <see cref="Messages.IMessageDispatcher"/>,
/// <c>ILoggerFactory</c>, <see cref="TimeProvider"/>) can be taken as constructor parameters.</para>
/// </remarks>
public interface IPluginStartup
{
    /// <summary>Registers the plugin's services into its own container scope.</summary>
    /// <param name="services">The plugin's service collection; registrations stay private to the plugin.</param>
    /// <param name="context">Who the plugin is, where it lives and its configuration section.</param>
    void ConfigureServices(IServiceCollection services, PluginContext context);
}
