using MimeKit;
using Postern.Sdk.Scanning;

namespace Postern.Extraction.Mime;

/// <summary>
/// Walks one parsed MIME tree: numbers parts IMAP-style, yields leaves through <see cref="LeafViews"/>, embedded
/// messages from MimeKit's own parse, preambles and epilogues as text, and the extra readings of
/// <see cref="MessageExpander"/>. <paramref name="messagePath"/> is the path of the message the parts belong to and
/// <paramref name="depth"/> the depth of its parts.
/// </summary>
internal sealed class EntityWalker(WalkSession session, MimeDocument document, string messagePath, int depth, MimeBudget budget)
{
    public IEnumerable<ScanItem> Walk(MimeEntity entity, string number)
    {
        if (!budget.TryCountPart())
        {
            if (!budget.PartLimitNoted)
            {
                budget.PartLimitNoted = true;
                session.Context.AddReason(messagePath, "MIME part limit");
            }

            return [];
        }

        var offsets = document.OffsetsOf(entity);
        if (offsets.HeadersEnd - offsets.Begin > session.Limits.MaxHeaderBytes)
        {
            session.Context.AddReason(PartPath(number, null), "header size limit");
            return [];
        }

        var own = entity switch
        {
            Multipart multipart => Multipart(multipart, number),
            MessagePart message => Embedded(message, number),
            MimePart part => new LeafViews(session, document, depth).Views(part, PartPath(number, part.FileName)),
            _ => [],
        };
        return own.Concat(OtherBoundaries(entity, number));
    }

    private string PartPath(string number, string? fileName) =>
        ItemPath.Child(messagePath, ItemPath.Named("part" + (number.Length == 0 ? "1" : number), fileName));

    private IEnumerable<ScanItem> Multipart(Multipart multipart, string number)
    {
        var offsets = document.OffsetsOf(multipart);
        var children = multipart.ToList();
        var prefix = number.Length == 0 ? "" : "part" + number + ".";
        if (!string.IsNullOrWhiteSpace(multipart.Preamble))
        {
            var end = children.Count > 0 ? document.OffsetsOf(children[0]).Begin : offsets.End;
            foreach (var item in SideText(document.Slice(offsets.HeadersEnd, end), prefix + "preamble"))
            {
                yield return item;
            }
        }

        for (var i = 0; i < children.Count; i++)
        {
            var childNumber = number.Length == 0 ? $"{i + 1}" : $"{number}.{i + 1}";
            foreach (var item in Walk(children[i], childNumber))
            {
                yield return item;
            }
        }

        if (!string.IsNullOrWhiteSpace(multipart.Epilogue) && children.Count > 0)
        {
            foreach (var item in SideText(document.Slice(document.OffsetsOf(children[^1]).End, offsets.End), prefix + "epilogue"))
            {
                yield return item;
            }
        }

        foreach (var encoding in ContentEncodings.Declared(multipart).Where(ContentEncodings.Transforms))
        {
            using var decoded = TransferDecoder.Decode(document.Body(multipart), encoding, BodyReading.Declared,
                session.Context.RemainingBytes);
            var view = PartPath(number, null) + "~cte=" + ContentEncodings.Name(encoding);
            foreach (var item in Synthetic(multipart.ContentType.MimeType, multipart.Boundary, decoded.Content, view))
            {
                yield return item;
            }
        }
    }

    /// <summary>A message/rfc822 part: its raw bytes are an item, its parts come from MimeKit's parse.</summary>
    private IEnumerable<ScanItem> Embedded(MessagePart part, string number)
    {
        var path = PartPath(number, part.ContentDisposition?.FileName);
        var item = new ScanItem(path, document.Body(part), ScanItemKind.MimePart, depth,
            part.ContentDisposition?.FileName, part.ContentType.MimeType);
        if (ContentEncodings.Declared(part).Any(ContentEncodings.Transforms))
        {
            // Encoded (illegal for message/rfc822, yet sent): MimeKit's parse of the encoded text is meaningless.
            return new LeafViews(session, document, depth).Views(part, path);
        }

        session.Context.ChargeBytes(item.Content.Length);
        if (Opens(part, depth, session.Limits))
        {
            // The parts are walked (below): the message's own base64 bodies come back decoded, as for any message.
            var (start, length) = document.BodyRange(part).GetOffsetAndLength(document.Source.Length);
            var ranges = DecodedRanges.Of(document, part.Message!.Body, start, start + length, depth + 1, session.Limits);
            if (ranges.Count > 0)
            {
                item = item with { DecodedElsewhere = ranges };
            }
        }

        return session.Emit(item, () => part.Message?.Body is { } body && session.MayOpen(path, depth, "message")
            ? new EntityWalker(session, document, path, depth + 1, budget).Walk(body, "")
            : []);
    }

    /// <summary>Whether the walk opens a message/rfc822 part at <paramref name="depth"/> and walks the parts of
    /// MimeKit's parse of it: the part has no transfer encoding (see <see cref="Embedded"/>), MimeKit found a body, and
    /// the depth allows (<see cref="WalkSession.MayOpen"/>). <see cref="DecodedRanges"/> follows exactly these.</summary>
    internal static bool Opens(MessagePart part, int depth, ScanLimits limits) =>
        depth < limits.MaxDepth && part.Message?.Body is not null
        && !ContentEncodings.Declared(part).Any(ContentEncodings.Transforms);

    /// <summary>Preamble or epilogue: scanned as text, and any entity hidden in it parsed as one.</summary>
    private IEnumerable<ScanItem> SideText(ReadOnlyMemory<byte> text, string label)
    {
        var path = ItemPath.Child(messagePath, label);
        session.Context.ChargeBytes(text.Length);
        foreach (var item in session.Emit(new ScanItem(path, text, ScanItemKind.MimePart, depth), ContentHint.Unknown))
        {
            yield return item;
        }

        var hidden = HiddenEntity.Find(text.Span);
        if (hidden > 0)
        {
            var entity = new ScanItem(path + "~entity", text[hidden..], ScanItemKind.MimePart, depth);
            foreach (var item in session.Emit(entity, ContentHint.Message))
            {
                yield return item;
            }
        }
    }

    private IEnumerable<ScanItem> OtherBoundaries(MimeEntity entity, string number)
    {
        var used = (entity as Multipart)?.Boundary;
        foreach (var boundary in BoundaryParameters.All(entity))
        {
            var body = document.Body(entity);
            if (boundary == used || !SyntheticMultipart.Splits(body.Span, boundary))
            {
                continue;
            }

            var view = PartPath(number, null) + "~boundary=" + ItemPath.Clean(boundary);
            foreach (var item in Synthetic("multipart/mixed", boundary, body, view))
            {
                yield return item;
            }
        }
    }

    private IEnumerable<ScanItem> Synthetic(string mediaType, string? boundary, ReadOnlyMemory<byte> body, string view)
    {
        if (boundary is null || !budget.TryCountView())
        {
            return [];
        }

        var bytes = SyntheticMultipart.Build(mediaType, boundary, body.Span);
        var (parsed, failure) = MimeDocument.Parse(bytes, session.Limits, asEntity: true, session.Context.CancellationToken);
        if (parsed?.Entity is null)
        {
            session.Context.AddReason(view, failure ?? "corrupt: no entity");
            return [];
        }

        return new EntityWalker(session, parsed, view, depth, budget).Walk(parsed.Entity, "");
    }
}
