namespace Postern.Sdk.Messages;

/// <summary>What to scan: a message or an arbitrary file. Immutable.</summary>
/// <param name="Content">The bytes as received. The host does not keep them after the scan returns.</param>
/// <param name="Name">A name for reports and logs (a path, a queue id); untrusted.</param>
/// <param name="IsMessage"><c>true</c> for an RFC 5322 message, <c>false</c> for a file of unknown type, <c>null</c> to
/// let the host decide from the content, as clamscan does.</param>
public sealed record ScanRequest(ReadOnlyMemory<byte> Content, string Name, bool? IsMessage = null);
