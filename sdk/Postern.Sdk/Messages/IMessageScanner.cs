namespace Postern.Sdk.Messages;

/// <summary>
/// The host's scan path, for plugins that need a verdict without a policy decision (a clamd-protocol server, a CLI
/// verb). Provided by the host; take it as a constructor parameter.
/// </summary>
/// <remarks>
/// <para>Threading: thread-safe; call it concurrently.</para>
/// <para>Errors: never throws for bad input or engine failures: those come back as
/// <see cref="ScanStatus.NotScanned"/> with a reason. Throws <see cref="OperationCanceledException"/> only when
/// <c>cancellationToken</c> fires.</para>
/// </remarks>
public interface IMessageScanner
{
    /// <summary>Decodes the content into items and runs every engine in service over them.</summary>
    /// <param name="request">The content and how to read it.</param>
    /// <param name="cancellationToken">Stops the scan; the message deadline applies on top.</param>
    ValueTask<ScanReport> ScanAsync(ScanRequest request, CancellationToken cancellationToken);
}
