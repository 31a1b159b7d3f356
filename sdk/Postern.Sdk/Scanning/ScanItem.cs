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
    string? ContentType = null)
{
    /// <summary>
    /// Ranges of <see cref="Content"/> (counted from its start, ascending, not overlapping) that hold transfer-encoded
    /// text the host also hands to the engines decoded, as items of their own: the strictly valid base64 bodies of a
    /// message's MIME leaves. A pattern pass over the bytes may skip them, since what they carry comes again decoded;
    /// a check of the whole item (a hash of <see cref="Content"/>) still takes all of it. Empty for most items, and
    /// always safe to ignore: scanning the ranges too only finds signatures written against encoded text.
    /// </summary>
    public IReadOnlyList<Range> DecodedElsewhere { get; init; } = [];
}
