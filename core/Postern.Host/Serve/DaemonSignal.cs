namespace Postern.Host.Serve;

/// <summary>What the administrator asked of the running daemon.</summary>
internal enum DaemonSignal
{
    /// <summary>SIGHUP: re-read the configuration, reload engine data.</summary>
    Reload,
}
