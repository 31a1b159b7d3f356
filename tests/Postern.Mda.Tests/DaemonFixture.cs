using Postern.Testing;

namespace Postern.Mda.Tests;

/// <summary>One <c>postern serve</c> for a test class, with its socket in a private folder.</summary>
public sealed class DaemonFixture : IAsyncLifetime
{
    internal Scratch Scratch { get; } = new();

    public PosternDaemon Daemon { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        // Per-recipient policies, so one daemon can answer every decision: defer and discard besides accept and reject.
        File.WriteAllText(Scratch.File_("special.conf"), "[held@example.net]\naction_av = defer\n[dropped@example.net]\naction_av_infected = discard\n");
        File.AppendAllText(Scratch.Config, "user_config = special.conf\n");
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
