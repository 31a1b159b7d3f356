using System.Text;
using Microsoft.Extensions.Logging;
using Postern.Sdk.Plugins;
using Postern.Sdk.Scanning;

namespace Postern.Core.Tests.Plugins;

public sealed class PluginHostStateTests
{
    [Fact]
    public async Task StartAsync_GoodEngine_IsActiveAndScans()
    {
        using var root = PluginRoot.Create("good-engine");
        await using var host = await TestHost.StartAsync(root);

        var record = Assert.Single(host.Plugins);
        Assert.Equal(PluginState.Active, record.State);
        Assert.Equal(("good-engine", "0.1.0", PluginKind.Engine, new Version(1, 3, 0)), (record.Id, record.Version, record.Kind, record.MinimumSdk));
        Assert.Equal("engines [good], verbs [], agents []", record.Reason);
        var engine = Assert.Single(host.Engines);
        Assert.Equal(EngineState.Ready, engine.Status.State);
        var infected = await engine.ScanAsync(Item("xx POSTERN-TEST-MARKER xx"), TestContext.Current.CancellationToken);
        var clean = await engine.ScanAsync(Item("nothing here"), TestContext.Current.CancellationToken);
        Assert.Equal("Postern-Test-Marker", Assert.Single(infected.Findings).Name);
        Assert.Empty(clean.Findings);
    }

    [Fact]
    public async Task StartAsync_PluginSection_ReachesThePlugin()
    {
        using var root = PluginRoot.Create("good-engine");
        await using var host = await TestHost.StartAsync(root, TestHost.Settings("good-engine", ("greeting", "hello")));

        Assert.Equal("greeting=hello", Assert.Single(host.Engines).Status.Detail);
    }

    [Theory]
    [InlineData("no")]
    [InlineData("No")]
    [InlineData("false")]
    [InlineData("off")]
    [InlineData("0")]
    public async Task StartAsync_EnabledNo_IsDisabledAndNeverLoaded(string value)
    {
        using var root = PluginRoot.Create("good-engine");
        var loader = new RecordingLoader();
        await using var host = await TestHost.StartAsync(root, TestHost.Settings("good-engine", ("enabled", value)), loader: loader);

        var record = Assert.Single(host.Plugins);
        Assert.Equal(PluginState.Disabled, record.State);
        Assert.Equal($"enabled = {value} in [good-engine]", record.Reason);
        Assert.Empty(loader.Loaded);
        Assert.Empty(host.Engines);
    }

    [Fact]
    public async Task StartAsync_EnabledYes_IsActive()
    {
        using var root = PluginRoot.Create("good-engine");
        await using var host = await TestHost.StartAsync(root, TestHost.Settings("good-engine", ("enabled", "yes")));

        Assert.Equal(PluginState.Active, Assert.Single(host.Plugins).State);
    }

    [Fact]
    public async Task StartAsync_StartupThrows_IsMalfunctionedAndGoodPluginStillActive()
    {
        using var root = PluginRoot.Create("good-engine", "startup-throws");
        await using var host = await TestHost.StartAsync(root);

        var failed = host.Plugins.Single(p => p.Id == "startup-throws");
        Assert.Equal(PluginState.Malfunctioned, failed.State);
        Assert.Equal("ConfigureServices threw InvalidOperationException: startup-throws refuses to configure (on purpose)", failed.Reason);
        Assert.Equal(PluginState.Active, host.Plugins.Single(p => p.Id == "good-engine").State);
        Assert.Equal("good", Assert.Single(host.Engines).Name);
    }

    [Fact]
    public async Task StartAsync_ThrowingEngine_IsActiveBecauseOnlyItsScansFail()
    {
        using var root = PluginRoot.Create("throwing-engine");
        await using var host = await TestHost.StartAsync(root);

        Assert.Equal(PluginState.Active, Assert.Single(host.Plugins).State);
        var engine = Assert.Single(host.Engines);
        await Assert.ThrowsAsync<InvalidOperationException>(() => engine.ScanAsync(Item("x"), TestContext.Current.CancellationToken).AsTask());
    }

    [Fact]
    public async Task StartAsync_HangingScanEngine_IsActiveAndItsScanEndsOnlyWhenCancelled()
    {
        using var root = PluginRoot.Create("hanging-engine");
        await using var host = await TestHost.StartAsync(root);
        using var cancel = new CancellationTokenSource();

        var scan = Assert.Single(host.Engines).ScanAsync(Item("x"), cancel.Token).AsTask();
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(scan.IsCompleted);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scan);
    }

    [Fact]
    public async Task StartAsync_FolderWithoutManifest_IsNotSupported()
    {
        using var root = PluginRoot.Create();
        root.Write("stray", "readme.txt", "not a plugin");
        await using var host = await TestHost.StartAsync(root);

        var record = Assert.Single(host.Plugins);
        Assert.Equal(("stray", PluginState.NotSupported, "no plugin.json in the folder"), (record.Id, record.State, record.Reason));
        Assert.Null(record.Version);
    }

    [Fact]
    public async Task StartAsync_InvalidManifest_IsNotSupportedWithTheParsersReason()
    {
        using var root = PluginRoot.Create();
        root.Write("bad-kind", "plugin.json", PluginRoot.Manifest("bad-kind", "A.dll", kind: "scanner"));
        await using var host = await TestHost.StartAsync(root);

        var record = Assert.Single(host.Plugins);
        Assert.Equal(PluginState.NotSupported, record.State);
        Assert.Equal("plugin.json: kind 'scanner' is not one of engine, mta, agent", record.Reason);
    }

    [Fact]
    public async Task StartAsync_DuplicateId_SecondCopyIsNotSupportedAndFirstActive()
    {
        using var first = PluginRoot.Create("good-engine");
        using var second = PluginRoot.Create();
        second.CopyPlugin("good-engine", "good-engine-copy");
        await using var host = await TestHost.StartAsync([first.Path, second.Path]);

        Assert.Equal([PluginState.Active, PluginState.NotSupported], host.Plugins.Select(p => p.State));
        Assert.StartsWith("duplicate id 'good-engine': already provided by ", host.Plugins[1].Reason, StringComparison.Ordinal);
        Assert.Single(host.Engines);
    }

    [Fact]
    public async Task StartAsync_EntryAssemblyMissing_IsMalfunctioned()
    {
        using var root = PluginRoot.Create();
        root.Write("ghost", "plugin.json", PluginRoot.Manifest("ghost", "Ghost.dll"));
        await using var host = await TestHost.StartAsync(root);

        var record = Assert.Single(host.Plugins);
        Assert.Equal((PluginState.Malfunctioned, "entry assembly 'Ghost.dll' not found in the plugin folder"), (record.State, record.Reason));
    }

    [Fact]
    public async Task StartAsync_EntryAssemblyWithoutStartup_IsMalfunctioned()
    {
        using var root = PluginRoot.Create();
        var folder = root.Write("no-startup", "plugin.json", PluginRoot.Manifest("no-startup", "Newtonsoft.Json.dll"));
        File.Copy(Path.Combine(TestPluginArtifacts.PluginFolder("conflict-b"), "Newtonsoft.Json.dll"), Path.Combine(folder, "Newtonsoft.Json.dll"));
        await using var host = await TestHost.StartAsync(root);

        var record = Assert.Single(host.Plugins);
        Assert.Equal((PluginState.Malfunctioned, "Newtonsoft.Json has no public IPluginStartup class"), (record.State, record.Reason));
    }

    [Fact]
    public async Task StartAsync_NotAnAssembly_IsMalfunctionedNotThrown()
    {
        using var root = PluginRoot.Create();
        root.Write("garbage", "plugin.json", PluginRoot.Manifest("garbage", "Garbage.dll"));
        root.Write("garbage", "Garbage.dll", "MZ but not really");
        await using var host = await TestHost.StartAsync(root);

        var record = Assert.Single(host.Plugins);
        Assert.Equal(PluginState.Malfunctioned, record.State);
        Assert.StartsWith("loading 'Garbage.dll' failed: BadImageFormatException", record.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_NoRootExists_StartsWithNoPlugins()
    {
        await using var host = await TestHost.StartAsync([Path.Combine(Path.GetTempPath(), "postern-no-such-root", Guid.NewGuid().ToString("N"))]);

        Assert.Empty(host.Plugins);
        Assert.Empty(host.Engines);
    }

    [Fact]
    public async Task StartAsync_EveryPlugin_GetsOneLogLineWithItsStatesEventId()
    {
        using var root = PluginRoot.Create("good-engine", "startup-throws", "newer-sdk");
        root.Write("stray", "readme.txt", "not a plugin");
        var logs = new CapturingLoggerFactory();
        await using var host = await TestHost.StartAsync(root, TestHost.Settings("good-engine", ("enabled", "no")), logs: logs);

        var lines = logs.Entries.Where(e => e.EventId.Id is >= 1101 and <= 1104).ToArray();
        Assert.Equal(4, lines.Length);
        Assert.Contains(lines, e => e.EventId.Id == 1102 && e.Level == LogLevel.Information
            && e.Message.StartsWith("Plugin good-engine 0.1.0 is Disabled: enabled = no in [good-engine] (", StringComparison.Ordinal));
        Assert.Contains(lines, e => e.EventId.Id == 1103 && e.Level == LogLevel.Warning
            && e.Message.StartsWith("Plugin newer-sdk 0.1.0 is NotSupported: needs SDK 1.9, host has 1.3 (", StringComparison.Ordinal));
        Assert.Contains(lines, e => e.EventId.Id == 1103 && e.Message.StartsWith("Plugin stray - is NotSupported: no plugin.json", StringComparison.Ordinal));
        Assert.Contains(lines, e => e.EventId.Id == 1104 && e.Level == LogLevel.Error && e.Exception is InvalidOperationException
            && e.Message.StartsWith("Plugin startup-throws 0.1.0 is Malfunctioned: ConfigureServices threw", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_ActivePlugin_LogsActiveWithItsContributions()
    {
        using var root = PluginRoot.Create("good-engine");
        var logs = new CapturingLoggerFactory();
        await using var host = await TestHost.StartAsync(root, logs: logs);

        var line = Assert.Single(logs.Entries, e => e.EventId.Id == 1101);
        Assert.StartsWith("Plugin good-engine 0.1.0 is Active: engines [good], verbs [], agents [] (", line.Message, StringComparison.Ordinal);
    }

    private static ScanItem Item(string text) => new("message", Encoding.ASCII.GetBytes(text), ScanItemKind.Raw, 0);
}
