using Postern.Sdk.Cli;

namespace Postern.TestPlugins.TestVerb;

internal sealed class TestVerb : ICliVerb
{
    public IReadOnlyList<string> Path { get; } = ["test-verb"];

    public string Description => "Echoes its arguments (a test plugin).";

    public async Task<int> RunAsync(CliInvocation invocation, CancellationToken cancellationToken)
    {
        await invocation.Output.WriteLineAsync(string.Join(' ', invocation.Arguments).AsMemory(), cancellationToken);
        return 0;
    }
}
