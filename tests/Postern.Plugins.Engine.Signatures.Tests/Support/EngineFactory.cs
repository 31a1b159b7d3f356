using Microsoft.Extensions.DependencyInjection;
using Postern.Sdk.Plugins;
using Postern.Sdk.Scanning;

namespace Postern.Plugins.Engine.Signatures.Tests.Support;

/// <summary>Builds the engine the way the host does: through the plugin's startup and a service provider.</summary>
internal static class EngineFactory
{
    public static IScanEngine Create(
        IReadOnlyDictionary<string, string>? settings = null,
        IReadOnlyDictionary<string, string>? globalSettings = null)
    {
        var services = new ServiceCollection();
        var context = new PluginContext(
            "engine-signatures",
            AppContext.BaseDirectory,
            settings ?? new Dictionary<string, string>(),
            globalSettings ?? new Dictionary<string, string>(),
            new Version(1, 0, 0));
        new SignaturesPluginStartup().ConfigureServices(services, context);
        return services.BuildServiceProvider().GetRequiredService<IScanEngine>();
    }

    public static async Task<IScanEngine> Loaded(string database)
    {
        var engine = Create(new Dictionary<string, string> { ["database"] = database, ["watch"] = "no" });
        await engine.InitializeAsync(TestContext.Current.CancellationToken);
        return engine;
    }

    public static ValueTask<EngineResult> Scan(this IScanEngine engine, byte[] content, string path = "item") =>
        engine.ScanAsync(new ScanItem(path, content, ScanItemKind.Raw, 0), TestContext.Current.CancellationToken);
}
