using Postern.Setup;

namespace Postern.Plugins.Mta.Postfix.Setup;

/// <summary>
/// Edits master.cf as text: a service entry is its first line (<c>name type private unpriv chroot wakeup maxproc
/// command</c>) and the indented <c>-o</c> lines after it. Entries are appended under a marker comment; an entry that
/// is already there exactly is left alone, and a different entry with the same service name and type is refused
/// rather than overwritten.
/// </summary>
internal static class MasterCf
{
    /// <summary>Adds <paramref name="entries"/> (each its full text, first line then <c>  -o</c> lines).</summary>
    public static string Add(string text, string comment, IReadOnlyList<string> entries)
    {
        var existing = Entries(text);
        var add = new List<string>();
        foreach (var entry in entries)
        {
            var key = Key(entry);
            if (existing.TryGetValue(key, out var current))
            {
                if (Normalize(current) != Normalize(entry))
                {
                    throw new SetupException($"master.cf already has a '{key.Replace(' ', '/')}' service that differs from Postern's; remove it first");
                }

                continue;
            }

            add.Add(entry.TrimEnd('\n'));
        }

        if (add.Count == 0)
        {
            return text;
        }

        var end = text.Length == 0 || text.EndsWith('\n') ? "" : "\n";
        return text + end + "\n" + comment + "\n" + string.Join("\n", add) + "\n";
    }

    /// <summary>Service entries by "name type".</summary>
    public static Dictionary<string, string> Entries(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var l = lines[i];
            if (l.Length == 0 || l[0] is ' ' or '\t' or '#')
            {
                continue;
            }

            var entry = new List<string> { l };
            for (var j = i + 1; j < lines.Length && lines[j].Length > 0 && lines[j][0] is ' ' or '\t' && !lines[j].TrimStart().StartsWith('#'); j++)
            {
                entry.Add(lines[j]);
            }

            result.TryAdd(Key(l), string.Join("\n", entry));
        }

        return result;
    }

    private static string Key(string entry)
    {
        var fields = entry.Split('\n')[0].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 2 ? $"{fields[0]} {fields[1]}" : fields.FirstOrDefault() ?? "";
    }

    private static string Normalize(string entry) =>
        string.Join(" ", entry.Split(['\n', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
