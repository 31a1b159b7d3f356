using Autofac;
using Autofac.Builder;
using Autofac.Core;
using Autofac.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;

namespace Postern.Core.Plugins;

/// <summary>
/// Turns a plugin's <see cref="IServiceCollection"/> into registrations of its Autofac scope, and resolves every
/// implementation of a contract from that scope in the plugin's own registration order.
/// </summary>
/// <remarks>
/// <para>Autofac.Extensions.DependencyInjection's <c>Populate</c> registers its service provider and scope factory by
/// type, and Autofac builds a constructor invoker for every type-registered component as the scope is built, by
/// compiling an expression tree; resolving <c>IEnumerable&lt;T&gt;</c> compiles one more. That loaded
/// System.Linq.Expressions and Reflection.Emit into every process and cost 3 MiB of peak RSS
/// (`postern scan` of an empty directory: 70 -> 67 MiB), although no plugin of ours registers anything by type. So the
/// provider, the scope factory and every factory or instance registration are registered here as delegates;
/// a registration by type stays a registration by type (that plugin pays for the reflection); keyed services, whose
/// parameter attributes only <c>Populate</c> understands, send the whole collection through <c>Populate</c>.</para>
/// <para>Lifetimes map as <c>Populate</c> maps them: singleton to one instance, scoped to one per lifetime scope,
/// transient to one per resolve.</para>
/// </remarks>
internal sealed class PluginServiceRegistrations
{
    // Null when the collection went through Populate; then IEnumerable<T> resolves the contracts.
    private readonly List<IComponentRegistration>? _ordered;

    private PluginServiceRegistrations(List<IComponentRegistration>? ordered)
    {
        _ordered = ordered;
    }

    /// <summary>True when the collection was registered here, without <c>Populate</c>.</summary>
    public bool Direct => _ordered is not null;

    /// <summary>Registers <paramref name="services"/> on <paramref name="builder"/>.</summary>
    public static PluginServiceRegistrations Register(ContainerBuilder builder, IServiceCollection services)
    {
        if (services.Any(d => d.IsKeyedService))
        {
            builder.Populate(services);
            return new PluginServiceRegistrations(null);
        }

        builder.Register(c => new AutofacServiceProvider(c.Resolve<ILifetimeScope>()))
            .As(typeof(IServiceProvider), typeof(IServiceProviderIsService), typeof(IServiceProviderIsKeyedService), typeof(IKeyedServiceProvider))
            .ExternallyOwned();
        builder.Register(c => new ScopeFactory(c.Resolve<ILifetimeScope>())).As<IServiceScopeFactory>().SingleInstance();

        var ordered = new List<IComponentRegistration>(services.Count);
        foreach (var descriptor in services)
        {
            var registration = descriptor switch
            {
                { ImplementationFactory: { } factory } => RegistrationBuilder.CreateRegistration(Lifetime(
                    RegistrationBuilder.ForDelegate(descriptor.ServiceType, (c, _) => factory(c.Resolve<IServiceProvider>())),
                    descriptor)),
                { ImplementationInstance: { } instance } => RegistrationBuilder.CreateRegistration(Lifetime(
                    RegistrationBuilder.ForDelegate(descriptor.ServiceType, (_, _) => instance), descriptor)),
                _ => null,
            };

            if (registration is null)
            {
                var type = descriptor.ImplementationType!;
                if (type.IsGenericTypeDefinition)
                {
                    Lifetime(builder.RegisterGeneric(type), descriptor);
                    continue;
                }

                registration = RegistrationBuilder.CreateRegistration(Lifetime(RegistrationBuilder.ForType(type), descriptor));
            }

            builder.RegisterComponent(registration);
            ordered.Add(registration);
        }

        return new PluginServiceRegistrations(ordered);
    }

    /// <summary>Every implementation of <typeparamref name="T"/> the plugin registered, in its order.</summary>
    public T[] ResolveAll<T>(ILifetimeScope scope)
        where T : notnull
    {
        if (_ordered is null)
        {
            return [.. scope.Resolve<IEnumerable<T>>()];
        }

        var service = new TypedService(typeof(T));
        // By id: a child scope wraps a registration with a shared lifetime in a decorator that keeps the id.
        var mine = scope.ComponentRegistry.ServiceRegistrationsFor(service).ToDictionary(r => r.Registration.Id);
        var found = new List<T>();
        foreach (var registration in _ordered)
        {
            if (mine.TryGetValue(registration.Id, out var serviceRegistration))
            {
                found.Add((T)scope.ResolveComponent(new ResolveRequest(service, serviceRegistration, [])));
            }
        }

        return [.. found];
    }

    private static IRegistrationBuilder<TLimit, TActivator, TStyle> Lifetime<TLimit, TActivator, TStyle>(
        IRegistrationBuilder<TLimit, TActivator, TStyle> registration, ServiceDescriptor descriptor)
    {
        registration.As(descriptor.ServiceType);
        return descriptor.Lifetime switch
        {
            ServiceLifetime.Singleton => registration.SingleInstance(),
            ServiceLifetime.Scoped => registration.InstancePerLifetimeScope(),
            _ => registration.InstancePerDependency(),
        };
    }

    /// <summary>The scope factory <c>Populate</c> would register, as a delegate: a child scope per service scope.</summary>
    private sealed class ScopeFactory(ILifetimeScope parent) : IServiceScopeFactory
    {
        public IServiceScope CreateScope() => new Scope(parent.BeginLifetimeScope());
    }

    private sealed class Scope(ILifetimeScope scope) : IServiceScope, IAsyncDisposable
    {
        public IServiceProvider ServiceProvider { get; } = new AutofacServiceProvider(scope);

        public void Dispose() => scope.Dispose();

        public ValueTask DisposeAsync() => scope.DisposeAsync();
    }
}
