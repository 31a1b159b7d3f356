using System.Text;
using Postern.Sdk.Scanning;

namespace Postern.Core.Tests.Marking;

/// <summary>Finds <see cref="TestMessages.Marker"/> and names it Test.Virus, a name that does not itself match.</summary>
internal sealed class VirusEngine : IScanEngine
{
    private static readonly byte[] Needle = Encoding.ASCII.GetBytes(TestMessages.Marker);

    public string Name => "virus";

    public EngineStatus Status { get; } = new(EngineState.Ready, "ok", 1);

    public ValueTask InitializeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<EngineResult> ScanAsync(ScanItem item, CancellationToken cancellationToken) =>
        ValueTask.FromResult(item.Content.Span.IndexOf(Needle) >= 0
            ? EngineResult.Infected(new Finding("Test.Virus", Name, item.Path))
            : EngineResult.Clean);
}
