using System.Runtime.Loader;
using System.Text.Json;
using Postern.Sdk.Plugins;
using Postern.Sdk.Scanning;

namespace Postern.Core.Tests.Plugins;

public sealed class PluginHostIsolationTests
{
    [Fact]
    public async Task StartAsync_ConflictingNewtonsoftVersions_EachPluginGetsItsOwn()
    {
        using var root = PluginRoot.Create("conflict-a", "conflict-b");
        await using var host = await TestHost.StartAsync(root);

        Assert.All(host.Plugins, p => Assert.Equal(PluginState.Active, p.State));
        var hostsOwn = typeof(Newtonsoft.Json.JsonConvert).Assembly;
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(hostsOwn));
        Assert.Equal(new Version(13, 0, 0, 0), hostsOwn.GetName().Version);
        var a = Probe(host.Engines.Single(e => e.Name == "conflict-a"));
        var b = Probe(host.Engines.Single(e => e.Name == "conflict-b"));
        Assert.Equal(("12.0.0.0", "12.0.3.23909"), (a.AssemblyVersion, a.FileVersion));
        Assert.Equal("13.0.0.0", b.AssemblyVersion);
        Assert.StartsWith("13.0.1.", b.FileVersion, StringComparison.Ordinal);
        Assert.NotEqual(a.LoadContext, b.LoadContext);
        Assert.NotEqual(AssemblyLoadContext.Default.Name, a.LoadContext);
    }

    [Fact]
    public async Task StartAsync_PluginEngine_SharesTheHostsSdkTypesButLivesInItsOwnContext()
    {
        using var root = PluginRoot.Create("good-engine");
        await using var host = await TestHost.StartAsync(root);

        var engineType = Assert.Single(host.Engines).GetType();
        var pluginContext = AssemblyLoadContext.GetLoadContext(engineType.Assembly);
        Assert.NotSame(AssemblyLoadContext.Default, pluginContext);
        Assert.Same(typeof(IScanEngine), engineType.GetInterfaces().Single(i => i.FullName == typeof(IScanEngine).FullName));
        Assert.Same(typeof(IScanEngine).Assembly, pluginContext!.LoadFromAssemblyName(typeof(IScanEngine).Assembly.GetName()));
    }

    [Fact]
    public async Task StartAsync_EntryAssemblyOutsideFolder_IsNotSupportedAndNeverLoaded()
    {
        using var root = PluginRoot.Create("traversal");

        // Put the very assembly the manifest points at where it points, so a host that followed the path would load it.
        // Without a plugin.json of its own, that folder is just a stray folder to the catalog.
        var outside = PluginRoot.CopyFolder(TestPluginArtifacts.PluginFolder("traversal"), Path.Combine(root.Path, "traversal-outside"));
        File.Delete(Path.Combine(outside, "plugin.json"));
        Assert.True(File.Exists(Path.GetFullPath(Path.Combine(root.Path, "traversal", "../traversal-outside/Postern.TestPlugins.Traversal.dll"))));
        var loader = new RecordingLoader();
        await using var host = await TestHost.StartAsync(root, loader: loader);

        var record = host.Plugins.Single(p => p.Id == "traversal");
        Assert.Equal(PluginState.NotSupported, record.State);
        Assert.Equal("plugin.json: entryAssembly '../traversal-outside/Postern.TestPlugins.Traversal.dll' resolves outside the plugin folder", record.Reason);
        Assert.Empty(loader.Loaded);
        Assert.False(IsLoadedAnywhere("Postern.TestPlugins.Traversal"));
    }

    [Fact]
    public async Task StartAsync_NewerSdk_IsNotSupportedAndNeverLoaded()
    {
        using var root = PluginRoot.Create("newer-sdk");
        var loader = new RecordingLoader();
        await using var host = await TestHost.StartAsync(root, loader: loader);

        var record = Assert.Single(host.Plugins);
        Assert.Equal((PluginState.NotSupported, "needs SDK 1.9, host has 1.3"), (record.State, record.Reason));
        Assert.Equal(new Version(1, 9, 0), record.MinimumSdk);
        Assert.Empty(loader.Loaded);
        Assert.False(IsLoadedAnywhere("Postern.TestPlugins.NewerSdk"));
    }

    [Fact]
    public async Task StartAsync_EntryAssemblyLinkedFromOutside_IsNotSupportedAndNeverLoaded()
    {
        using var root = PluginRoot.Create();
        var outside = PluginRoot.CopyFolder(TestPluginArtifacts.PluginFolder("good-engine"), Path.Combine(root.Parent, "outside"));
        var folder = root.Write("linked", "plugin.json", PluginRoot.Manifest("linked", "Postern.TestPlugins.GoodEngine.dll"));
        File.CreateSymbolicLink(Path.Combine(folder, "Postern.TestPlugins.GoodEngine.dll"), Path.Combine(outside, "Postern.TestPlugins.GoodEngine.dll"));
        var loader = new RecordingLoader();
        await using var host = await TestHost.StartAsync(root, loader: loader);

        var record = Assert.Single(host.Plugins);
        Assert.Equal(PluginState.NotSupported, record.State);
        Assert.Contains("is a symbolic link that leads outside the plugin folder", record.Reason, StringComparison.Ordinal);
        Assert.Empty(loader.Loaded);
    }

    private static bool IsLoadedAnywhere(string assemblyName) =>
        AssemblyLoadContext.All.SelectMany(c => c.Assemblies).Any(a => a.GetName().Name == assemblyName);

    private static NewtonsoftProbe Probe(IScanEngine engine) =>
        JsonSerializer.Deserialize<NewtonsoftProbe>(engine.Status.Detail!)!;

    private sealed record NewtonsoftProbe(string AssemblyVersion, string FileVersion, string LoadContext);
}
