using System.Runtime.InteropServices;
using Postern.Sdk.Scanning;

namespace Postern.Extraction;

/// <summary>
/// Turns a message or file into <see cref="ScanItem"/>s: the input itself, every decoded MIME part, inline-encoded
/// blocks, TNEF attachments, archive members and decompressed streams, recursively, under <see cref="ScanLimits"/>.
/// </summary>
/// <remarks>
/// <para><b>Error model.</b> Never throws for bad input: whatever cannot be decoded, or passes a limit, is recorded in
/// <see cref="ExtractionContext.NotScannedReasons"/> as "<c>path: reason</c>" ("encrypted", "corrupt: ...", "size limit",
/// "total size limit", "expansion ratio limit", "depth limit ...", "file count limit ...", "MIME part limit", "header
/// size limit", "overlapping zip entries") and the walk goes on where it safely can. Throws
/// <see cref="OperationCanceledException"/> when the context's token fires.</para>
/// <para><b>Lifetime.</b> Items are produced lazily; an item's <see cref="ScanItem.Content"/> may live in a pooled buffer
/// and is valid only until the next <c>MoveNext</c>. Copy it to keep it. Identical contents are yielded once per scan.</para>
/// <para><b>Paths.</b> Segments joined by '/', one per step into a container; the input is "". A MIME part is
/// <c>part</c> + its IMAP-style number within its message, with the filename in brackets when it has one:
/// <c>part2[invoice.zip]</c>; a forwarded message's parts follow its own path: <c>part2/part1</c>. Archive members
/// are their stored names (<c>part2[a.zip]/docs/eicar.com</c>); decompressed streams are <c>(gunzip)</c>,
/// <c>(bunzip2)</c>, <c>(unxz)</c>, <c>(unzstd)</c>; inline blocks <c>uuencode[name]</c>, <c>binhex[name]</c>,
/// <c>yenc[name]</c>; TNEF attachments <c>tnef[name]</c>. A second and later block of the same kind adds <c>#n</c>.
/// Multipart preambles and epilogues are <c>preamble</c>/<c>epilogue</c> (<c>part2.preamble</c> inside part 2).
/// Alternative readings of a malformed part carry a <c>~view</c> suffix, see <see cref="Mime.MessageExpander"/>.</para>
/// <para><b>Threading.</b> A walker is immutable and may be shared; each walk needs its own context.</para>
/// </remarks>
public sealed class ContentWalker
{
    private readonly ScanLimits _limits;

    public ContentWalker(ScanLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
    }

    /// <summary>Walks <paramref name="content"/>.</summary>
    /// <param name="content">The message or file as received.</param>
    /// <param name="isMessage">True: an RFC 5322 message; false: a file (containers by magic); null: decide from the
    /// content (a header block of "Name: value" lines with known mail header names before a blank line).</param>
    /// <param name="context">The scan's context: budgets, reasons, dedupe.</param>
    public IEnumerable<ScanItem> Walk(ReadOnlyMemory<byte> content, bool? isMessage, ExtractionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var hint = isMessage switch
        {
            true => ContentHint.Message,
            false => ContentHint.File,
            null => ContentHint.Unknown,
        };
        return WalkCore(ArrayBacked(content), hint, context);
    }

    private IEnumerable<ScanItem> WalkCore(ReadOnlyMemory<byte> content, ContentHint hint, ExtractionContext context)
    {
        var session = new WalkSession(_limits, context);
        context.ChargeBytes(content.Length);
        context.MarkRaw(content);
        var raw = new ScanItem("", content, ScanItemKind.Raw, 0);
        if (content.Length > _limits.MaxItemBytes)
        {
            context.AddReason("", "size limit (input not unpacked)");
            return session.Emit(raw, () => []);
        }

        return session.Emit(raw, hint);
    }

    /// <summary>MimeKit and the archive readers want arrays; take the caller's array when there is one, copy once if not.</summary>
    private static ReadOnlyMemory<byte> ArrayBacked(ReadOnlyMemory<byte> content) =>
        MemoryMarshal.TryGetArray(content, out _) ? content : content.ToArray();
}
