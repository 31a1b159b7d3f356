using MimeKit;

namespace Postern.Core.Cleaning;

/// <summary>One entity of a parsed message with the item path the content walker gives it, and where it hangs.</summary>
/// <param name="Entity">The part.</param>
/// <param name="Path">Its item path (<c>part2[invoice.zip]</c>, <c>part3/part1</c>).</param>
/// <param name="Parent">The multipart that holds it; null for a message's body.</param>
/// <param name="IsRootBody">True for the outer message's own body: replacing it would replace the message.</param>
internal sealed record MimeNode(MimeEntity Entity, string Path, Multipart? Parent, bool IsRootBody);
