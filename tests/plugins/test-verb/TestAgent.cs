using Postern.Sdk.Messages;

namespace Postern.TestPlugins.TestVerb;

// Takes the host's scanner to prove a plugin can depend on it while the host is still activating plugins.
internal sealed class TestAgent(IMessageScanner scanner) : IAgent
{
    public string Name => "test-agent";

    internal IMessageScanner Scanner { get; } = scanner;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
