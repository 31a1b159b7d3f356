using Postern.Core.Policy;

namespace Postern.Core.Marking;

/// <summary>
/// Marks a message that is passed on: <c>X-Virus-Scanned: Postern VERSION (HOST)</c> and <c>X-Virus-Status</c> at the
/// top, the subject rewritten from its template, a notice appended. Headers named <c>X-Virus-*</c> that arrived
/// with the message are never trusted: they are renamed <c>X-Postern-Original-X-Virus-*</c> (kept for forensics,
/// no longer matched by filters that look for <c>X-Virus-Status</c>), whatever the marking settings.
/// </summary>
public sealed class MessageMarker(string version, string hostName)
{
    public const string ForgedPrefix = "X-Virus-";
    public const string RenamedPrefix = "X-Postern-Original-";

    /// <param name="message">The message to pass on (original, or the cleaned copy).</param>
    /// <param name="status">The verdict the message is passed on with.</param>
    /// <param name="detail">Detections or not-scanned reasons, for <c>X-Virus-Status</c>.</param>
    /// <param name="detections">Detection names only, for <c>%vir%</c>.</param>
    /// <param name="options">What to mark.</param>
    public byte[] Mark(ReadOnlyMemory<byte> message, VerdictStatus status, string detail, string detections, MarkingOptions options)
    {
        var (head, tail) = MarkParts(message, status, detail, detections, options);
        var bytes = GC.AllocateUninitializedArray<byte>(head.Length + tail.Length);
        head.Span.CopyTo(bytes);
        tail.Span.CopyTo(bytes.AsSpan(head.Length));
        return bytes;
    }

    /// <summary>
    /// <see cref="Mark"/> without joining: the marked message is <c>Head</c> followed by <c>Tail</c>. When only header
    /// fields change, <c>Head</c> is the new header block and <c>Tail</c> the message's own body (from the empty line
    /// on) as a slice of <paramref name="message"/>, so marking a large message copies no body; when nothing changes,
    /// <c>Head</c> is <paramref name="message"/> itself and <c>Tail</c> is empty.
    /// </summary>
    public (ReadOnlyMemory<byte> Head, ReadOnlyMemory<byte> Tail) MarkParts(ReadOnlyMemory<byte> message, VerdictStatus status, string detail,
        string detections, MarkingOptions options)
    {
        var statusText = StatusText.For(status, detail);
        var body = options.Body && options.BodyTemplate.Length > 0
            ? BodyNotice.Append(message, TemplateText.Fill(options.BodyTemplate, "", StatusText.Safe(detections), statusText))
            : message;
        var headers = RawHeaders.Parse(body);
        headers.Rename(ForgedPrefix, RenamedPrefix);
        if (options.Subject)
        {
            var subject = (headers.Value("Subject") ?? "").TrimStart(' ', '\t');
            headers.Set("Subject", " " + TemplateText.Fill(options.SubjectTemplate, subject, StatusText.Safe(detections), statusText));
        }

        if (options.Headers)
        {
            headers.Prepend("X-Virus-Status", statusText);
            headers.Prepend("X-Virus-Scanned", $"Postern {StatusText.Safe(version)} ({StatusText.Safe(hostName)})");
        }

        if (!headers.Changed)
        {
            return (body, ReadOnlyMemory<byte>.Empty);
        }

        return (headers.HeadBytes(), headers.Rest);
    }
}
