using Postern.Sdk.Scanning;

namespace Postern.Extraction.Mime;

/// <summary>
/// A message's parts. The message is parsed once by MimeKit; the strict reading of that parse is walked, and beside it
/// every other reasonable reading a lenient client could take, each yielded with a <c>~view</c> path suffix (identical
/// bytes are yielded once per scan, so agreeing readings cost one hash):
/// <list type="bullet">
/// <item>duplicate Content-Transfer-Encoding headers: the body decoded with each (<c>part2~cte=quoted-printable</c>);</item>
/// <item>a body that is clearly base64 under another or no transfer encoding: also decoded as base64 (<c>~base64</c>);</item>
/// <item>base64 with junk or data after a '=': decoded skipping junk, once going on after the '=' and once stopping there
/// (<c>~base64-stop</c>);</item>
/// <item>several boundary parameters (duplicate Content-Type headers, or one header with two): the body split by each
/// boundary MimeKit did not use, when that boundary occurs (<c>part1~boundary=b2/part1</c>);</item>
/// <item>a transfer encoding on a multipart (illegal, honoured by some clients): decoded, then split (<c>~cte=base64</c>);
/// on message/rfc822, decoded and then parsed as a message;</item>
/// <item>multipart preamble and epilogue: scanned as text, and a part hidden in them (a line starting a header block)
/// parsed as an entity of its own (<c>preamble~entity</c>);</item>
/// <item>a missing final boundary: MimeKit already reads the last part to the end, as clients do.</item>
/// </list>
/// </summary>
internal sealed class MessageExpander(WalkSession session)
{
    /// <summary>
    /// Parses the message now and returns its parts to walk, with the ranges of <paramref name="item"/> that the walk
    /// will hand on decoded (<see cref="DecodedRanges"/>), so that the message item can carry them when it is scanned.
    /// </summary>
    public (IReadOnlyList<Range> DecodedElsewhere, IEnumerable<ScanItem> Parts) Open(ScanItem item)
    {
        var limits = session.Limits;
        var span = item.Content.Span;
        if (HeaderBlock.Length(span) > limits.MaxHeaderBytes)
        {
            session.Context.AddReason(item.Path, "header size limit");
            return ([], []);
        }

        var length = PartCutoff.ParseLength(span, limits.MaxMimeParts);
        var budget = new MimeBudget(limits.MaxMimeParts);
        if (length < span.Length)
        {
            budget.PartLimitNoted = true;
            session.Context.AddReason(item.Path, "MIME part limit (rest of the message not parsed)");
        }

        var (document, failure) = MimeDocument.Parse(item.Content[..length], limits, asEntity: false,
            session.Context.CancellationToken);
        if (document?.Entity is null)
        {
            session.Context.AddReason(item.Path, failure ?? "corrupt: no MIME body");
            return ([], session.ExpandAsText(item));
        }

        var parts = new EntityWalker(session, document, item.Path, item.Depth + 1, budget).Walk(document.Entity, "");
        return (DecodedRanges.Of(document, document.Entity, 0, document.Source.Length, item.Depth + 1, limits), parts);
    }
}
