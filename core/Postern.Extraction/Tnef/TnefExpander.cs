using Postern.Sdk.Scanning;

namespace Postern.Extraction.Tnef;

/// <summary>TNEF (winmail.dat) attachments as <see cref="ScanItemKind.TnefAttachment"/> children, found by magic.</summary>
internal sealed class TnefExpander(WalkSession session)
{
    public IEnumerable<ScanItem> Expand(ScanItem item)
    {
        var (attachments, reason) = TnefParser.Parse(item.Content.Span);
        if (reason is not null)
        {
            session.Context.AddReason(item.Path, reason);
        }

        var number = 0;
        foreach (var attachment in attachments)
        {
            if (!attachment.HasData)
            {
                continue;
            }

            number++;
            var label = number == 1 ? "tnef" : "tnef#" + number;
            var content = item.Content[attachment.Data];
            session.Context.ChargeBytes(content.Length);
            var child = new ScanItem(ItemPath.Child(item.Path, ItemPath.Named(label, attachment.Name)), content,
                ScanItemKind.TnefAttachment, item.Depth + 1, attachment.Name);
            foreach (var descendant in session.Emit(child, ContentHint.Unknown))
            {
                yield return descendant;
            }
        }
    }
}
