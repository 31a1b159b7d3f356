using Postern.Sdk.Messages;

namespace Postern.Protocols.Clamd;

/// <summary>What a clamd client asked to scan.</summary>
public enum ClamdSource
{
    /// <summary>Bytes sent with <c>INSTREAM</c>.</summary>
    Stream,

    /// <summary>A file named by <c>SCAN</c>, <c>CONTSCAN</c>, <c>MULTISCAN</c> or <c>ALLMATCHSCAN</c>.</summary>
    File,

    /// <summary>A file descriptor passed with <c>FILDES</c>.</summary>
    Descriptor,
}

/// <summary>One scan the server asks of its backend. Immutable.</summary>
/// <param name="Content">The bytes; owned by the server, not to be kept after the call.</param>
/// <param name="Name">The name the reply uses: <c>stream</c>, the path as the client gave it, <c>fd[N]</c>.</param>
/// <param name="Source">How the bytes came.</param>
/// <param name="ResolvedPath">For <see cref="ClamdSource.File"/>, the real path that was read.</param>
public sealed record ClamdScanRequest(ReadOnlyMemory<byte> Content, string Name, ClamdSource Source, string? ResolvedPath = null);

/// <summary>
/// What the clamd server calls to scan and to reload. <see cref="ScannerBackend"/> passes scans to the host's
/// <see cref="IMessageScanner"/>; an agent may wrap it to apply its own policy (quarantine, logs).
/// </summary>
/// <remarks>
/// <para>Threading: called concurrently, one call per scan request.</para>
/// <para>Errors: <see cref="ScanAsync"/> should report failures as <see cref="ScanStatus.NotScanned"/>; an exception
/// other than cancellation is answered with an <c>ERROR</c> line, never <c>OK</c>.</para>
/// </remarks>
public interface IClamdBackend
{
    /// <summary>Scans one stream, file or descriptor's content.</summary>
    /// <param name="request">The content and its name.</param>
    /// <param name="cancellationToken">Fires when the server stops or the client goes away.</param>
    ValueTask<ScanReport> ScanAsync(ClamdScanRequest request, CancellationToken cancellationToken);

    /// <summary>Handles <c>RELOAD</c>: start reloading the databases without waiting (clamd answers <c>RELOADING</c>
    /// at once and reloads in the background).</summary>
    void RequestReload();
}

/// <summary>The plain backend: scans with <see cref="IMessageScanner"/>, letting the host decide whether the content
/// is a mail message (as clamd does), and ignores <c>RELOAD</c> beyond the reply (engines reload on their own).</summary>
/// <param name="scanner">The host's scanner.</param>
/// <remarks>Threading: thread-safe. Errors: as <see cref="IMessageScanner"/>.</remarks>
public sealed class ScannerBackend(IMessageScanner scanner) : IClamdBackend
{
    /// <inheritdoc />
    public ValueTask<ScanReport> ScanAsync(ClamdScanRequest request, CancellationToken cancellationToken) =>
        scanner.ScanAsync(new ScanRequest(request.Content, request.Name), cancellationToken);

    /// <inheritdoc />
    public void RequestReload()
    {
    }
}
