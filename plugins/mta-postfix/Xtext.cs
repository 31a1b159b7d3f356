using System.Globalization;
using System.Text;

namespace Postern.Plugins.Mta.Postfix;

/// <summary>xtext (RFC 3461 4): XFORWARD and DSN values encode <c>+</c>, <c>=</c> and unprintables as <c>+XX</c>.</summary>
internal static class Xtext
{
    /// <summary>Decodes a value; null for Postfix's <c>[UNAVAILABLE]</c>/<c>[TEMPUNAVAIL]</c> and for empty values.</summary>
    public static string? Decode(string? value)
    {
        if (string.IsNullOrEmpty(value) || value is "[UNAVAILABLE]" or "[TEMPUNAVAIL]")
        {
            return null;
        }

        var s = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '+' && i + 2 < value.Length
                && byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                s.Append((char)b);
                i += 2;
            }
            else
            {
                s.Append(value[i]);
            }
        }

        return s.ToString();
    }
}
