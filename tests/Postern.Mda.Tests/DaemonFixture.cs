using Postern.Testing;

namespace Postern.Mda.Tests;

/// <summary>One <c>postern serve</c> for a test class, with its socket in a private folder.</summary>
public sealed class DaemonFixture : IAsyncLifetime
{
    internal Scratch Scratch { get; } = new();

    public PosternDaemon Daemon { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Daemon = Scratch.StartDaemon();
        if (!await Daemon.WaitForLogAsync("postern serve ready", TimeSpan.FromSeconds(90)))
        {
            throw new InvalidOperationException("postern serve did not start:\n" + Daemon.Log);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Daemon.DisposeAsync();
        Scratch.Dispose();
    }
}
