namespace Postern.Extraction;

/// <summary>What is known about an item's content before looking at it.</summary>
internal enum ContentHint
{
    /// <summary>Decide from the bytes: container magic, then "looks like a message", then inline encodings.</summary>
    Unknown,

    /// <summary>An RFC 5322 message (the caller said so, or it was a message/rfc822 part).</summary>
    Message,

    /// <summary>A file: never parsed as a message, only by magic and for inline encodings.</summary>
    File,
}
