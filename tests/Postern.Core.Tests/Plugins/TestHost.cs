using Autofac;
using Postern.Core.Plugins;
using Postern.Sdk.Messages;

namespace Postern.Core.Tests.Plugins;

/// <summary>Starts a plugin host over one or more test roots, with a scanner registered as the real host will.</summary>
internal static class TestHost
{
    public static Task<PluginHost> StartAsync(
        PluginRoot root,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? settings = null,
        TimeSpan? initTimeout = null,
        bool initializeEngines = true,
        CapturingLoggerFactory? logs = null,
        IPluginAssemblyLoader? loader = null,
        Action<ContainerBuilder>? register = null,
        IReadOnlySet<Postern.Sdk.Plugins.PluginKind>? kinds = null) =>
        StartAsync([root.Path], settings, initTimeout, initializeEngines, logs, loader, register, kinds);

    public static Task<PluginHost> StartAsync(
        IReadOnlyList<string> roots,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? settings = null,
        TimeSpan? initTimeout = null,
        bool initializeEngines = true,
        CapturingLoggerFactory? logs = null,
        IPluginAssemblyLoader? loader = null,
        Action<ContainerBuilder>? register = null,
        IReadOnlySet<Postern.Sdk.Plugins.PluginKind>? kinds = null)
    {
        var options = new PluginHostOptions
        {
            Roots = roots,
            PluginSettings = settings ?? new Dictionary<string, IReadOnlyDictionary<string, string>>(),
            EngineInitializationTimeout = initTimeout ?? TimeSpan.FromSeconds(30),
            InitializeEngines = initializeEngines,
            Kinds = kinds,
        };
        return PluginHost.StartCoreAsync(
            options,
            logs ?? new CapturingLoggerFactory(),
            register ?? (b => b.RegisterType<EngineCountingScanner>().AsSelf().As<IMessageScanner>().SingleInstance()),
            loader ?? new McMasterPluginAssemblyLoader(),
            TestContext.Current.CancellationToken);
    }

    public static Dictionary<string, IReadOnlyDictionary<string, string>> Settings(string pluginId, params (string Name, string Value)[] values) =>
        new() { [pluginId] = values.ToDictionary(v => v.Name, v => v.Value) };
}
