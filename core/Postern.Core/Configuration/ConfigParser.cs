using System.Text;

namespace Postern.Core.Configuration;

/// <summary>
/// Reads the esets.cfg syntax: <c>[section]</c> headers, <c>name = value</c> lines, values plain or in double quotes
/// (with <c>\"</c> and <c>\\</c> escapes), <c>#</c> and <c>;</c> comments on their own line or after a value.
/// Never throws for content: every problem becomes a diagnostic with file and line.
/// </summary>
public static class ConfigParser
{
    // A configuration file is small; anything bigger is a mistake (a log or a binary given by accident).
    private const int MaxFileBytes = 16 * 1024 * 1024;
    private const int MaxLineChars = 64 * 1024;

    public static ConfigFile Load(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return Fail(path, "file not found");
            }

            if (info.Length > MaxFileBytes)
            {
                return Fail(path, $"file is {info.Length} bytes; a configuration file is at most {MaxFileBytes}");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(path, $"cannot read: {e.Message}");
        }

        return Parse(bytes, path);
    }

    public static ConfigFile Parse(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.IndexOf((byte)0) >= 0)
        {
            return Fail(path, "contains NUL bytes; not a text file");
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Fail(path, "is not valid UTF-8");
        }

        return Parse(text, path);
    }

    public static ConfigFile Parse(string text, string path)
    {
        var state = new ParseState(path);
        var lines = text.TrimStart('\uFEFF').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            state.Line(lines[i].TrimEnd('\r'), i + 1);
        }

        return state.Finish();
    }

    private static ConfigFile Fail(string path, string message) =>
        new(path, [], [new ConfigDiagnostic(ConfigSeverity.Error, path, 0, message)]);

    private sealed class ParseState(string path)
    {
        private readonly List<ConfigSection> sections = [];
        private readonly List<ConfigDiagnostic> diagnostics = [];
        private List<ConfigEntry>? entries;
        private string? sectionName;
        private int sectionLine;

        public void Line(string raw, int number)
        {
            if (raw.Length > MaxLineChars)
            {
                Error(number, $"line is {raw.Length} characters long; the limit is {MaxLineChars}");
                return;
            }

            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                return;
            }

            if (line[0] == '[')
            {
                Header(line, number);
                return;
            }

            Entry(line, number);
        }

        public ConfigFile Finish()
        {
            Close();
            return new ConfigFile(path, sections, diagnostics);
        }

        private void Header(string line, int number)
        {
            var end = line.IndexOf(']', StringComparison.Ordinal);
            var rest = end < 0 ? "" : line[(end + 1)..].Trim();
            if (end < 0 || (rest.Length > 0 && rest[0] is not ('#' or ';')))
            {
                Error(number, $"malformed section header '{line}'; expected '[name]'");
                return;
            }

            var name = line[1..end].Trim();
            if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                Error(number, $"invalid section name '{name}'");
                return;
            }

            Close();
            sectionName = name;
            sectionLine = number;
            entries = [];
        }

        private void Entry(string line, int number)
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                Error(number, $"expected 'name = value', got '{Shorten(line)}'");
                return;
            }

            var name = line[..eq].Trim().ToLowerInvariant();
            if (!IsName(name))
            {
                Error(number, $"invalid setting name '{Shorten(name)}'; names are letters, digits, '_' and '-'");
                return;
            }

            if (entries is null)
            {
                Error(number, $"'{name}' appears before any [section]");
                return;
            }

            if (!ConfigValue.TryParse(line[(eq + 1)..], out var value, out var problem))
            {
                Error(number, $"{name}: {problem}");
                return;
            }

            if (entries.Any(e => e.Name == name))
            {
                diagnostics.Add(new ConfigDiagnostic(ConfigSeverity.Warning, path, number,
                    $"'{name}' is set again in [{sectionName}]; the last value wins"));
            }

            entries.Add(new ConfigEntry(name, value, number));
        }

        private void Close()
        {
            if (sectionName is not null && entries is not null)
            {
                sections.Add(new ConfigSection(sectionName, sectionLine, entries));
            }
        }

        private void Error(int line, string message) =>
            diagnostics.Add(new ConfigDiagnostic(ConfigSeverity.Error, path, line, message));

        private static bool IsName(string s) =>
            s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

        private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
    }
}
