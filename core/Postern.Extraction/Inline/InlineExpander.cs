using Postern.Extraction.Buffers;
using Postern.Sdk.Scanning;

namespace Postern.Extraction.Inline;

/// <summary>
/// Blocks encoded inside text (uuencode, BinHex 4.0, yEnc) become <see cref="ScanItemKind.InlineEncoded"/> children, as
/// mail clients and ClamAV decode them from plain text bodies. Runs on every item that is not a container or a message.
/// </summary>
internal sealed class InlineExpander(WalkSession session)
{
    private enum Scheme
    {
        UuEncode,
        BinHex,
        YEnc,
    }

    public IEnumerable<ScanItem> Expand(ScanItem item)
    {
        var blocks = 0;
        foreach (var scheme in (Scheme[])[Scheme.UuEncode, Scheme.BinHex, Scheme.YEnc])
        {
            var number = 0;
            for (var at = Find(scheme, item.Content.Span, 0); at >= 0; at = Find(scheme, item.Content.Span, at))
            {
                if (++blocks > session.Limits.MaxInlineBlocks)
                {
                    session.Context.AddReason(item.Path, "inline block limit");
                    yield break;
                }

                if (!session.MayOpen(item.Path, item.Depth, "inline block"))
                {
                    yield break;
                }

                var (block, buffer, dataStart) = Decode(scheme, item.Content.Span, at);
                using (buffer)
                {
                    at = Math.Max(block.End, at + 1);
                    var path = ItemPath.Child(item.Path, ItemPath.Named(Label(scheme, ++number), block.Name));
                    if (block.Reason is not null)
                    {
                        session.Context.AddReason(path, block.Reason);
                    }

                    session.Context.ChargeBytes(buffer.Length);
                    var child = new ScanItem(path, buffer.Memory[dataStart..], ScanItemKind.InlineEncoded,
                        item.Depth + 1, block.Name);
                    foreach (var descendant in session.Emit(child, ContentHint.Unknown))
                    {
                        yield return descendant;
                    }
                }
            }
        }
    }

    private static int Find(Scheme scheme, ReadOnlySpan<byte> text, int from) => scheme switch
    {
        Scheme.UuEncode => UuDecoder.FindNext(text, from),
        Scheme.BinHex => BinHexDecoder.FindNext(text, from),
        _ => YEncDecoder.FindNext(text, from),
    };

    private (InlineBlock Block, PooledBuffer Buffer, int DataStart) Decode(Scheme scheme, ReadOnlySpan<byte> text, int at)
    {
        var cap = Math.Min(session.Limits.MaxItemBytes, session.Context.RemainingBytes);
        // Every scheme but BinHex's run-length step shrinks its input; a quarter of the text is a fair first guess.
        var output = new PooledBuffer((int)Math.Min(cap, Math.Max(1024, (text.Length - at) / 4)));
        var dataStart = 0;
        var block = scheme switch
        {
            Scheme.UuEncode => UuDecoder.Decode(text, at, output, cap),
            Scheme.BinHex => BinHexDecoder.Decode(text, at, output, cap, out dataStart),
            _ => YEncDecoder.Decode(text, at, output, cap),
        };
        return (block, output, dataStart);
    }

    private static string Label(Scheme scheme, int number)
    {
        var label = scheme switch
        {
            Scheme.UuEncode => "uuencode",
            Scheme.BinHex => "binhex",
            _ => "yenc",
        };
        return number == 1 ? label : label + "#" + number;
    }
}
