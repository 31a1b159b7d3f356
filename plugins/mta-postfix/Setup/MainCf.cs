using Postern.Setup;

namespace Postern.Plugins.Mta.Postfix.Setup;

/// <summary>
/// Edits main.cf as text, keeping every comment and line as it is: a parameter is found by its active line
/// (<c>name = value</c> at the start of a line, continuation lines indented), a missing one is appended under a
/// marker comment. Idempotent: a parameter that already has the wanted value is left alone.
/// </summary>
internal static class MainCf
{
    public const string Marker = "# Added by postern setup postfix";

    /// <summary>The active value of <paramref name="name"/> (continuations joined), or null when it is not set.</summary>
    public static string? Get(string text, string name)
    {
        var lines = Lines(text);
        for (var i = 0; i < lines.Count; i++)
        {
            if (NameOf(lines[i]) == name)
            {
                var value = lines[i][(lines[i].IndexOf('=', StringComparison.Ordinal) + 1)..].Trim();
                for (var j = i + 1; j < lines.Count && IsContinuation(lines[j]); j++)
                {
                    value += " " + lines[j].Trim();
                }

                return value.Trim();
            }
        }

        return null;
    }

    /// <summary>Sets each parameter: left alone when it has the value already, refused (<see cref="SetupException"/>)
    /// when it has another one and its Replace flag is off, appended when absent.</summary>
    public static string Set(string text, IReadOnlyList<(string Name, string Value, bool Replace)> parameters)
    {
        var missing = new List<string>();
        foreach (var (name, value, replace) in parameters)
        {
            var current = Get(text, name);
            if (current is null)
            {
                missing.Add($"{name} = {value}");
            }
            else if (current != value)
            {
                if (!replace)
                {
                    throw new SetupException($"{name} is already set to '{current}'; Postern needs '{value}'. Remove or change that line first");
                }

                text = Replace(text, name, $"{name} = {value}");
            }
        }

        if (missing.Count == 0)
        {
            return text;
        }

        var end = text.Length == 0 || text.EndsWith('\n') ? "" : "\n";
        return text + end + "\n" + Marker + " (after-queue content filter)\n" + string.Join("\n", missing) + "\n";
    }

    private static string Replace(string text, string name, string line)
    {
        var lines = Lines(text);
        var i = lines.FindIndex(l => NameOf(l) == name);
        var j = i + 1;
        while (j < lines.Count && IsContinuation(lines[j]))
        {
            j++;
        }

        lines.RemoveRange(i, j - i);
        lines.Insert(i, line);
        return string.Join("\n", lines);
    }

    private static List<string> Lines(string text) => [.. text.Split('\n')];

    private static bool IsContinuation(string line) => line.Length > 0 && line[0] is ' ' or '\t' && line.Trim().Length > 0 && !line.TrimStart().StartsWith('#');

    private static string? NameOf(string line)
    {
        if (line.Length == 0 || line[0] is ' ' or '\t' or '#')
        {
            return null;
        }

        var eq = line.IndexOf('=', StringComparison.Ordinal);
        return eq > 0 ? line[..eq].Trim() : null;
    }
}
