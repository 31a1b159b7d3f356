using Postern.Testing;

namespace Postern.Plugins.Mta.Sendmail.Tests;

/// <summary>The real <c>postern serve</c> (Postern.Testing's), started and awaited until it says it is ready.</summary>
internal static class Serve
{
    public static async Task<PosternDaemon> StartAsync(string configPath, int seconds = 90)
    {
        var daemon = PosternDaemon.Start("-c", configPath);
        if (await daemon.WaitForLogAsync("postern serve ready", TimeSpan.FromSeconds(seconds)))
        {
            return daemon;
        }

        var log = daemon.Log;
        await daemon.DisposeAsync();
        throw new TimeoutException($"postern serve: not ready in {seconds} s; log:\n{log}");
    }
}
