using System.Text;

namespace Postern.Core.Configuration;

/// <summary>The value half of a <c>name = value</c> line, and the typed readings of values.</summary>
public static class ConfigValue
{
    /// <summary>Unquotes a raw value and strips a trailing comment.</summary>
    public static bool TryParse(string raw, out string value, out string? problem)
    {
        var s = raw.Trim();
        value = "";
        problem = null;
        if (s.Length > 0 && s[0] == '"')
        {
            return TryParseQuoted(s, out value, out problem);
        }

        // An unquoted value ends at a comment character that follows whitespace.
        for (var i = 1; i < s.Length; i++)
        {
            if (s[i] is '#' or ';' && char.IsWhiteSpace(s[i - 1]))
            {
                s = s[..i].TrimEnd();
                break;
            }
        }

        value = s;
        return true;
    }

    private static bool TryParseQuoted(string s, out string value, out string? problem)
    {
        var sb = new StringBuilder(s.Length);
        value = "";
        problem = null;
        for (var i = 1; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\\' && i + 1 < s.Length && s[i + 1] is '"' or '\\')
            {
                sb.Append(s[++i]);
            }
            else if (c == '"')
            {
                var rest = s[(i + 1)..].Trim();
                if (rest.Length > 0 && rest[0] is not ('#' or ';'))
                {
                    problem = $"unexpected text after the closing quote: '{rest}'";
                    return false;
                }

                value = sb.ToString();
                return true;
            }
            else
            {
                sb.Append(c);
            }
        }

        problem = "unterminated quoted value";
        return false;
    }

    /// <summary>yes/no, also true/false, on/off and 1/0, as admins write them.</summary>
    public static bool TryParseBool(string s, out bool value)
    {
        switch (s.Trim().ToLowerInvariant())
        {
            case "yes" or "true" or "on" or "1":
                value = true;
                return true;
            case "no" or "false" or "off" or "0":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>A byte size: <c>1048576</c>, <c>512K</c>, <c>100M</c>, <c>2G</c> (binary multiples, as in clamd.conf).</summary>
    public static bool TryParseSize(string s, out long bytes)
    {
        s = s.Trim();
        bytes = 0;
        if (s.Length == 0)
        {
            return false;
        }

        long mult = char.ToUpperInvariant(s[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, _ => 1 };
        var digits = mult == 1 ? s : s[..^1];
        if (!long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            || n > long.MaxValue / mult)
        {
            return false;
        }

        bytes = n * mult;
        return true;
    }

    /// <summary>A duration: plain seconds (<c>30</c>) or with a unit: <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>.</summary>
    public static bool TryParseDuration(string s, out TimeSpan duration)
    {
        s = s.Trim().ToLowerInvariant();
        duration = TimeSpan.Zero;
        var (digits, unit) = s.EndsWith("ms", StringComparison.Ordinal) ? (s[..^2], 0.001)
            : s.EndsWith('s') ? (s[..^1], 1.0)
            : s.EndsWith('m') ? (s[..^1], 60.0)
            : s.EndsWith('h') ? (s[..^1], 3600.0)
            : (s, 1.0);
        if (!long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            || n > 10_000_000)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(n * unit);
        return true;
    }
}
