using Autofac;
using Microsoft.Extensions.DependencyInjection;
using Postern.Core.Plugins;

namespace Postern.Core.Tests.Plugins;

public sealed class PluginServiceRegistrationsTests
{
    [Fact]
    public void ResolveAll_FactoriesInstancesAndTypes_InTheOrderThePluginRegisteredThem()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IContract>(_ => new Named("factory"));
        services.AddSingleton(new Unrelated());
        services.AddSingleton<IContract>(new Named("instance"));
        services.AddSingleton<IContract, ByType>();
        services.AddSingleton<IContract>(_ => new Named("last"));

        using var scope = Scope(services, out var registrations);

        Assert.True(registrations.Direct);
        Assert.Equal(["factory", "instance", "by type", "last"], registrations.ResolveAll<IContract>(scope).Select(c => c.Name));
        Assert.Empty(registrations.ResolveAll<IDisposable>(scope));
    }

    [Fact]
    public void Factories_GetAProviderThatResolvesThePluginsOtherServices()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new Unrelated());
        services.AddSingleton<IContract>(sp => new Named(sp.GetRequiredService<Unrelated>().Name));

        using var scope = Scope(services, out var registrations);

        Assert.Equal("unrelated", Assert.Single(registrations.ResolveAll<IContract>(scope)).Name);
        var provider = scope.Resolve<IServiceProvider>();
        Assert.True(provider.GetRequiredService<IServiceProviderIsService>().IsService(typeof(Unrelated)));
        Assert.False(provider.GetRequiredService<IServiceProviderIsService>().IsService(typeof(ByType)));
    }

    [Fact]
    public void Lifetimes_AsMicrosoftDependencyInjectionDefinesThem()
    {
        var services = new ServiceCollection();
        services.AddSingleton(_ => new Counter());
        services.AddTransient(_ => new Named("transient"));
        services.AddScoped(_ => new Disposable());

        using var scope = Scope(services, out _);
        var provider = scope.Resolve<IServiceProvider>();

        Assert.Same(provider.GetRequiredService<Counter>(), provider.GetRequiredService<Counter>());
        Assert.NotSame(provider.GetRequiredService<Named>(), provider.GetRequiredService<Named>());
        var outer = provider.GetRequiredService<Disposable>();
        Assert.Same(outer, provider.GetRequiredService<Disposable>());

        Disposable inner;
        using (var child = provider.GetRequiredService<IServiceScopeFactory>().CreateScope())
        {
            inner = child.ServiceProvider.GetRequiredService<Disposable>();
            Assert.NotSame(outer, inner);
            Assert.Same(inner, child.ServiceProvider.GetRequiredService<Disposable>());
            Assert.Same(provider.GetRequiredService<Counter>(), child.ServiceProvider.GetRequiredService<Counter>());
        }

        Assert.True(inner.Disposed);
        Assert.False(outer.Disposed);
    }

    [Fact]
    public void KeyedServices_GoThroughPopulate_AndStillResolve()
    {
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IContract>("k", (_, _) => new Named("keyed"));
        services.AddSingleton<IContract>(_ => new Named("plain"));

        using var scope = Scope(services, out var registrations);

        Assert.False(registrations.Direct);
        Assert.Equal(["plain"], registrations.ResolveAll<IContract>(scope).Select(c => c.Name));
        Assert.Equal("keyed", scope.Resolve<IServiceProvider>().GetRequiredKeyedService<IContract>("k").Name);
    }

    [Fact]
    public void OpenGenerics_AreRegisteredByType()
    {
        var services = new ServiceCollection();
        services.AddSingleton(typeof(IBox<>), typeof(Box<>));

        using var scope = Scope(services, out var registrations);

        Assert.True(registrations.Direct);
        Assert.Equal(typeof(int), scope.Resolve<IServiceProvider>().GetRequiredService<IBox<int>>().Item);
    }

    private static ILifetimeScope Scope(ServiceCollection services, out PluginServiceRegistrations registrations)
    {
        var root = new ContainerBuilder().Build();
        PluginServiceRegistrations? made = null;
        var scope = root.BeginLifetimeScope(builder => made = PluginServiceRegistrations.Register(builder, services));
        registrations = made!;
        return scope;
    }

    public interface IContract
    {
        string Name { get; }
    }

    public interface IBox<T>
    {
        Type Item { get; }
    }

    public sealed class Box<T> : IBox<T>
    {
        public Type Item => typeof(T);
    }

    public sealed class Named(string name) : IContract
    {
        public string Name { get; } = name;
    }

    public sealed class ByType : IContract
    {
        public string Name => "by type";
    }

    public sealed class Unrelated
    {
        public string Name => "unrelated";
    }

    public sealed class Counter;

    public sealed class Disposable : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
