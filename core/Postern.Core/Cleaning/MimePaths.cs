using System.Text;
using MimeKit;

namespace Postern.Core.Cleaning;

/// <summary>
/// Numbers a parsed message's parts exactly as <c>Postern.Extraction.ContentWalker</c> names its items: IMAP-style
/// <c>partN</c> numbers, the sender's file name in brackets, an embedded message's parts under its own path. A
/// finding's item path is then matched to the deepest part whose path is a prefix of it.
/// </summary>
internal static class MimePaths
{
    // The walker's cut-off for names in paths (ItemPath.MaxSegmentChars).
    private const int MaxNameChars = 200;

    public static List<MimeNode> Number(MimeMessage message)
    {
        var nodes = new List<MimeNode>();
        if (message.Body is not null)
        {
            Walk(message.Body, "", "", null, isRoot: true, nodes);
        }

        return nodes;
    }

    /// <summary>The deepest node whose path equals <paramref name="itemPath"/> or prefixes it at a '/', '~' or
    /// <paramref name="also"/> boundary; null when none does.</summary>
    public static MimeNode? Locate(IReadOnlyList<MimeNode> nodes, string itemPath, char also = '/') =>
        nodes.Where(n => Prefixes(n.Path, itemPath, also))
            .OrderByDescending(n => n.Path.Length)
            .ThenBy(n => n.Entity is Multipart ? 1 : 0)
            .FirstOrDefault();

    private static bool Prefixes(string path, string item, char also) =>
        item == path
        || (item.Length > path.Length && item.StartsWith(path, StringComparison.Ordinal) && (item[path.Length] is '/' or '~' || item[path.Length] == also));

    private static void Walk(MimeEntity entity, string messagePath, string number, Multipart? parent, bool isRoot, List<MimeNode> nodes)
    {
        var name = entity switch
        {
            MessagePart m => m.ContentDisposition?.FileName,
            MimePart p => p.FileName,
            _ => null,
        };
        var path = Child(messagePath, Named("part" + (number.Length == 0 ? "1" : number), name));
        nodes.Add(new MimeNode(entity, path, parent, isRoot));
        switch (entity)
        {
            case Multipart multipart:
                for (var i = 0; i < multipart.Count; i++)
                {
                    Walk(multipart[i], messagePath, number.Length == 0 ? $"{i + 1}" : $"{number}.{i + 1}", multipart, false, nodes);
                }

                break;
            case MessagePart { Message.Body: { } body }:
                Walk(body, path, "", null, false, nodes);
                break;
        }
    }

    private static string Child(string parent, string segment) => parent.Length == 0 ? segment : parent + "/" + segment;

    private static string Named(string label, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return label;
        }

        var sb = new StringBuilder(label.Length + Math.Min(name.Length, MaxNameChars) + 5).Append(label).Append('[');
        var count = 0;
        foreach (var c in name)
        {
            if (count++ == MaxNameChars)
            {
                sb.Append("...");
                break;
            }

            sb.Append(char.IsControl(c) ? '?' : c);
        }

        return sb.Append(']').ToString();
    }
}
