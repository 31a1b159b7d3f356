using System.Reflection;
using System.Runtime.Loader;
using Newtonsoft.Json;
using Postern.Sdk.Scanning;

namespace Postern.TestPlugins.Shared;

// Compiled into conflict-a and conflict-b alike: the two differ only in the Newtonsoft.Json they ship.
internal sealed class NewtonsoftProbeEngine(string name) : IScanEngine
{
    private volatile EngineStatus _status = EngineStatus.NotStarted;

    public string Name => name;

    public EngineStatus Status => _status;

    public ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        // Serialising through Newtonsoft itself proves the private copy is not only loaded but works.
        var newtonsoft = typeof(JsonConvert).Assembly;
        var detail = JsonConvert.SerializeObject(new
        {
            AssemblyVersion = newtonsoft.GetName().Version?.ToString(),
            FileVersion = newtonsoft.GetCustomAttribute<AssemblyFileVersionAttribute>()?.Version,
            LoadContext = AssemblyLoadContext.GetLoadContext(newtonsoft)?.Name,
        });
        _status = new EngineStatus(EngineState.Ready, detail);
        return ValueTask.CompletedTask;
    }

    public ValueTask<EngineResult> ScanAsync(ScanItem item, CancellationToken cancellationToken) =>
        ValueTask.FromResult(EngineResult.Clean);
}
