namespace Postern.Sdk.Scanning;

/// <summary>
/// One thing to scan, after decoding: the raw message, a decoded MIME part, an archive member.
/// Immutable; the content is owned by the host and must not be kept after the scan call returns.
/// </summary>
/// <param name="Path">Where the item sits, for reports: <c>part2/archive.zip/eicar.com</c>.</param>
/// <param name="Content">The decoded bytes.</param>
/// <param name="Kind">How the item was reached.</param>
/// <param name="Depth">Nesting depth: 0 for the message itself, 1 for its parts, one more for each container.</param>
/// <param name="FileName">The name the sender gave it (attachment filename or archive member name), if any; untrusted.</param>
/// <param name="ContentType">The declared MIME type, if any; untrusted.</param>
public sealed record ScanItem(
    string Path,
    ReadOnlyMemory<byte> Content,
    ScanItemKind Kind,
    int Depth,
    string? FileName = null,
    string? ContentType = null);
