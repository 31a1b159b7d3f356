using Autofac;
using Microsoft.Extensions.Logging;

namespace Postern.Core.Plugins;

/// <summary>Builds the host container that every plugin's lifetime scope hangs under.</summary>
internal static class HostContainer
{
    public static IContainer Build(
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider,
        ActiveEngines activeEngines,
        Action<ContainerBuilder> registerHostServices)
    {
        var builder = new ContainerBuilder();

        // The host owns neither the logger factory nor the clock: whoever passed them in disposes them.
        builder.RegisterInstance(loggerFactory).As<ILoggerFactory>().ExternallyOwned();
        builder.RegisterInstance(timeProvider).As<TimeProvider>().ExternallyOwned();

        // Per scope, so a logger closed over a plugin's type belongs to that plugin's scope, not to the root.
        builder.RegisterGeneric(typeof(Logger<>)).As(typeof(ILogger<>)).InstancePerLifetimeScope();
        builder.RegisterInstance(activeEngines).ExternallyOwned();

        // Last, so the caller's registrations win over the defaults above.
        registerHostServices(builder);
        return builder.Build();
    }
}
