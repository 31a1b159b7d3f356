using MimeKit;
using Postern.Sdk.Scanning;

namespace Postern.Core.Cleaning;

/// <summary>
/// Replaces the parts a scan found something in (and, in strict mode, the parts it could not scan) with a short
/// text/plain notice naming what was found; every other part is written back as parsed. A finding that can't be
/// matched to a replaceable part is left for the rescan to judge; a finding in the message's own body, which can't be
/// replaced without replacing the message, fails the cleaning.
/// </summary>
public static class MessageCleaner
{
    public static CleaningResult Clean(ReadOnlyMemory<byte> message, IEnumerable<Finding> findings, IEnumerable<string> notScanned, CleanMode mode)
    {
        if (mode == CleanMode.None)
        {
            return CleaningResult.Failed("cleaning is off (av_clean_mode = none)");
        }

        MimeMessage parsed;
        try
        {
            parsed = MimeIo.Load(message);
        }
        catch (FormatException e)
        {
            return CleaningResult.Failed($"the message cannot be parsed for cleaning: {e.Message}");
        }

        var nodes = MimePaths.Number(parsed);
        var targets = new Dictionary<MimeNode, List<string>>();
        foreach (var f in findings)
        {
            if (MimePaths.Locate(nodes, f.ItemPath) is { } node)
            {
                Add(targets, node, f.Name);
            }
        }

        if (mode == CleanMode.Strict)
        {
            foreach (var reason in notScanned)
            {
                if (MimePaths.Locate(nodes, reason, also: ':') is { } node)
                {
                    Add(targets, node, "content that could not be scanned");
                }
            }
        }

        if (targets.Count == 0)
        {
            return CleaningResult.Failed("no infected part could be located in the MIME structure");
        }

        if (targets.Keys.FirstOrDefault(n => n.IsRootBody || n.Parent is null || n.Entity is Multipart) is { } whole)
        {
            return CleaningResult.Failed($"{whole.Path} is not a replaceable attachment (the message body or a whole multipart)");
        }

        foreach (var (node, names) in targets)
        {
            var index = node.Parent!.IndexOf(node.Entity);
            node.Parent[index] = Notice(node, names);
        }

        return new CleaningResult(MimeIo.Write(parsed, message), [.. targets.Keys.Select(n => n.Path)], null);
    }

    private static void Add(Dictionary<MimeNode, List<string>> targets, MimeNode node, string name)
    {
        if (!targets.TryGetValue(node, out var names))
        {
            targets[node] = names = [];
        }

        if (!names.Contains(name))
        {
            names.Add(name);
        }
    }

    private static TextPart Notice(MimeNode node, List<string> names)
    {
        var fileName = node.Entity switch
        {
            MimePart p => p.FileName,
            MessagePart m => m.ContentDisposition?.FileName,
            _ => null,
        };
        var what = string.IsNullOrEmpty(fileName) ? "A part of this message" : $"The attachment \"{Marking.StatusText.Safe(fileName)}\"";
        var notice = new TextPart("plain")
        {
            Text = $"{what} was removed by Postern: {Marking.StatusText.Safe(string.Join(", ", names))}.\n",
        };
        notice.ContentTransferEncoding = ContentEncoding.SevenBit;
        notice.ContentDisposition = new ContentDisposition(ContentDisposition.Inline);
        return notice;
    }
}
