namespace Postern.Sdk.Scanning;

/// <summary>
/// An engine whose data (a signature database) can be replaced while it serves. The host calls
/// <see cref="ReloadAsync"/> when the administrator asks (SIGHUP to <c>postern serve</c>, <c>RELOAD</c> over the clamd
/// protocol); an engine may also watch its own files and reload by itself.
/// </summary>
/// <remarks>
/// <para>Threading: <see cref="ReloadAsync"/> may be called while <see cref="IScanEngine.ScanAsync"/> runs on other
/// threads, and must not block them: build the new data beside the old and swap it in one atomic step. Scans that
/// began before the swap finish on the old data; no scan ever sees half-loaded data. Concurrent reload calls may be
/// coalesced.</para>
/// <para>Errors: when the new data fails to load, the old stays in service, <see cref="IScanEngine.Status"/> keeps
/// saying Ready (with the failure in its detail), and the call throws an exception whose message says why, for the
/// host to log and report.</para>
/// </remarks>
public interface IReloadableEngine : IScanEngine
{
    /// <summary>Loads the engine's data again and swaps it in atomically.</summary>
    /// <param name="cancellationToken">Abandons the reload; the old data stays in service.</param>
    /// <returns><c>true</c> when new data was swapped in, <c>false</c> when nothing had changed.</returns>
    ValueTask<bool> ReloadAsync(CancellationToken cancellationToken);
}
