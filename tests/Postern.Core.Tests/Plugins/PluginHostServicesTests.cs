using Autofac;
using Postern.Core.Plugins;
using Postern.Sdk.Cli;
using Postern.Sdk.Messages;
using Postern.Sdk.Plugins;

namespace Postern.Core.Tests.Plugins;

public sealed class PluginHostServicesTests
{
    [Fact]
    public async Task StartAsync_VerbPlugin_ContributesItsVerbAndAgent()
    {
        using var root = PluginRoot.Create("test-verb");
        await using var host = await TestHost.StartAsync(root);

        var record = Assert.Single(host.Plugins);
        Assert.Equal((PluginState.Active, PluginKind.Agent), (record.State, record.Kind));
        Assert.Equal("engines [], verbs [test-verb], agents [test-agent]", record.Reason);
        var verb = Assert.Single(host.Verbs);
        Assert.Equal(["test-verb"], verb.Path);
        using var output = new StringWriter();
        var exit = await verb.RunAsync(
            new CliInvocation(["hello", "world"], Stream.Null, output, TextWriter.Null, null), TestContext.Current.CancellationToken);
        Assert.Equal((0, "hello world"), (exit, output.ToString().TrimEnd()));
        Assert.Equal("test-agent", Assert.Single(host.Agents).Name);
    }

    [Fact]
    public async Task StartAsync_HostScanner_SeesTheEnginesOnlyOnceStarted()
    {
        using var root = PluginRoot.Create("good-engine", "test-verb", "conflict-a");
        await using var host = await TestHost.StartAsync(root);

        var scanner = host.Services.Resolve<EngineCountingScanner>();
        Assert.Same(scanner, host.Services.Resolve<IMessageScanner>());
        Assert.Equal(2, scanner.EngineCount);
        Assert.Equal(host.Engines, host.Services.Resolve<ActiveEngines>().Engines);
    }

    [Fact]
    public void ActiveEngines_ReadBeforePublished_Throws() =>
        Assert.Throws<InvalidOperationException>(() => new ActiveEngines().Engines);

    [Fact]
    public async Task StartAsync_PluginNeedsAHostServiceNobodyRegistered_IsMalfunctioned()
    {
        using var root = PluginRoot.Create("test-verb");
        await using var host = await TestHost.StartAsync(root, register: _ => { });

        var record = Assert.Single(host.Plugins);
        Assert.Equal(PluginState.Malfunctioned, record.State);
        Assert.StartsWith("resolving its services failed: DependencyResolutionException", record.Reason, StringComparison.Ordinal);
        Assert.Contains("IMessageScanner", record.Reason, StringComparison.Ordinal);
        Assert.Empty(host.Verbs);
    }

    [Fact]
    public async Task StartAsync_TwoPlugins_GetSeparateScopesUnderTheHost()
    {
        using var root = PluginRoot.Create("good-engine", "test-verb");
        await using var host = await TestHost.StartAsync(root);

        // The host container must not see plugin registrations: they live in each plugin's own scope.
        Assert.False(host.Services.IsRegistered<ICliVerb>());
        Assert.False(host.Services.IsRegistered<Sdk.Scanning.IScanEngine>());
        Assert.Single(host.Verbs);
        Assert.Single(host.Engines);
    }

    [Fact]
    public async Task Engines_AcrossPlugins_FollowDiscoveryOrder()
    {
        using var root = PluginRoot.Create("throwing-engine", "good-engine", "conflict-b", "conflict-a");
        await using var host = await TestHost.StartAsync(root);

        Assert.Equal(["conflict-a", "conflict-b", "good-engine", "throwing-engine"], host.Plugins.Select(p => p.Id));
        Assert.Equal(["conflict-a", "conflict-b", "good", "throwing"], host.Engines.Select(e => e.Name));
    }

    [Fact]
    public async Task DisposeAsync_Twice_IsHarmless()
    {
        using var root = PluginRoot.Create("good-engine");
        var host = await TestHost.StartAsync(root);

        await host.DisposeAsync();
        await host.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => host.Services.Resolve<ActiveEngines>());
    }
}
