using Postern.Sdk.Plugins;
using Postern.Sdk.Scanning;

namespace Postern.Core.Tests.Plugins;

public sealed class PluginHostEngineInitTests
{
    // Short enough to keep the suite quick, long enough that a loaded CI machine still initialises the good engine.
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task StartAsync_InitializeThrows_IsMalfunctionedAndOthersGoOn()
    {
        using var root = PluginRoot.Create("good-engine", "init-failing-engine");
        await using var host = await TestHost.StartAsync(root);

        var failed = host.Plugins.Single(p => p.Id == "init-failing-engine");
        Assert.Equal(PluginState.Malfunctioned, failed.State);
        Assert.Equal("engine 'init-failing' InitializeAsync threw InvalidDataException: signature database is corrupt (on purpose)", failed.Reason);
        Assert.Equal(PluginState.Active, host.Plugins.Single(p => p.Id == "good-engine").State);
        Assert.Equal(["good"], host.Engines.Select(e => e.Name));
    }

    [Fact]
    public async Task StartAsync_InitializeHangs_IsMalfunctionedAfterTheTimeout()
    {
        using var root = PluginRoot.Create("good-engine", "hanging-engine");
        await using var host = await TestHost.StartAsync(root, TestHost.Settings("hanging-engine", ("hang_in", "init")), ShortTimeout);

        var hung = host.Plugins.Single(p => p.Id == "hanging-engine");
        Assert.Equal((PluginState.Malfunctioned, "engine 'hanging' did not finish InitializeAsync within 0.5 s"), (hung.State, hung.Reason));
        Assert.Equal(["good"], host.Engines.Select(e => e.Name));
    }

    // The xunit timeout turns a host that waits for ever into a failure instead of a stuck run.
    [Fact(Timeout = 30_000)]
    public async Task StartAsync_InitializeHangsIgnoringCancellation_HostStillReturns()
    {
        using var root = PluginRoot.Create("good-engine", "hanging-engine");
        var settings = TestHost.Settings("hanging-engine", ("hang_in", "init"), ("honour_cancellation", "no"));
        await using var host = await TestHost.StartAsync(root, settings, ShortTimeout);

        Assert.False(TestContext.Current.CancellationToken.IsCancellationRequested, "the host returned only because the test timed out");
        var hung = host.Plugins.Single(p => p.Id == "hanging-engine");
        Assert.Equal((PluginState.Malfunctioned, "engine 'hanging' did not finish InitializeAsync within 0.5 s"), (hung.State, hung.Reason));
        Assert.Equal(PluginState.Active, host.Plugins.Single(p => p.Id == "good-engine").State);
    }

    [Fact]
    public async Task StartAsync_WithoutInitialisation_LeavesEnginesStartingAndPluginsActive()
    {
        using var root = PluginRoot.Create("good-engine", "hanging-engine", "init-failing-engine");
        await using var host = await TestHost.StartAsync(
            root, TestHost.Settings("hanging-engine", ("hang_in", "init")), ShortTimeout, initializeEngines: false);

        Assert.All(host.Plugins, p => Assert.Equal(PluginState.Active, p.State));
        Assert.All(host.Engines, e => Assert.Equal(EngineState.Starting, e.Status.State));
        Assert.Equal(3, host.Engines.Count);
    }

    [Fact]
    public async Task StartAsync_HostCancelled_ThrowsInsteadOfMarkingPlugins()
    {
        using var root = PluginRoot.Create("hanging-engine");
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var options = new Postern.Core.Plugins.PluginHostOptions
        {
            Roots = [root.Path],
            PluginSettings = TestHost.Settings("hanging-engine", ("hang_in", "init")),
        };
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Postern.Core.Plugins.PluginHost.StartAsync(options, new CapturingLoggerFactory(), _ => { }, cancel.Token));
    }

    [Fact]
    public async Task StartAsync_ZeroTimeout_IsRefused()
    {
        var options = new Postern.Core.Plugins.PluginHostOptions { Roots = [], EngineInitializationTimeout = TimeSpan.Zero };

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            Postern.Core.Plugins.PluginHost.StartAsync(options, new CapturingLoggerFactory(), _ => { }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task StartAsync_KindsEngineOnly_LeavesOtherKindsUnloaded()
    {
        using var root = PluginRoot.Create("good-engine", "test-verb");
        await using var all = await TestHost.StartAsync(root);
        await using var engines = await TestHost.StartAsync(root, kinds: new HashSet<PluginKind> { PluginKind.Engine });

        Assert.Equal(["good-engine", "test-verb"], all.Plugins.Select(p => p.Id).Order());
        Assert.Equal(["good-engine"], engines.Plugins.Select(p => p.Id));
        Assert.Equal(["good"], engines.Engines.Select(e => e.Name));
    }
}
