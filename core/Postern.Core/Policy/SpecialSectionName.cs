namespace Postern.Core.Policy;

/// <summary>A special section's name taken apart: its kind and the lower-cased recipient and sender keys.</summary>
public sealed record SpecialSectionName(SpecialSectionKind Kind, string Recipient, string Sender)
{
    public const string NullSender = "<>";

    public static SpecialSectionName Parse(string name)
    {
        var n = name.Trim().ToLowerInvariant();
        var bar = n.IndexOf('|', StringComparison.Ordinal);
        if (bar < 0)
        {
            return !n.Contains('@', StringComparison.Ordinal) ? new(SpecialSectionKind.Group, n, "")
                : n.StartsWith('@') ? new(SpecialSectionKind.RecipientDomain, n, "")
                : new(SpecialSectionKind.Recipient, n, "");
        }

        var (recipient, sender) = (n[..bar], n[(bar + 1)..]);
        return recipient.Length > 0 ? new(SpecialSectionKind.Pair, recipient, sender)
            : sender.StartsWith('@') ? new(SpecialSectionKind.SenderDomain, "", sender)
            : new(SpecialSectionKind.Sender, "", sender);
    }

    /// <summary>The section keys a recipient address matches, most specific first: the address, then its domain.</summary>
    public static IEnumerable<string> Keys(string address)
    {
        var a = address.Trim().ToLowerInvariant();
        if (a.Length == 0)
        {
            yield return NullSender;
            yield break;
        }

        yield return a;
        var at = a.LastIndexOf('@');
        if (at >= 0 && at < a.Length - 1)
        {
            yield return a[at..];
        }
    }
}
