using System.Globalization;
using Postern.Core.Configuration;

namespace Postern.Core.Quarantine;

/// <summary>An age as admins write retention: <c>30d</c>, <c>2w</c>, or any duration <see cref="ConfigValue"/> reads
/// (<c>12h</c>, <c>90m</c>).</summary>
public static class AgeValue
{
    public static bool TryParse(string text, out TimeSpan age)
    {
        var s = text.Trim().ToLowerInvariant();
        var days = s.EndsWith('d') ? 1 : s.EndsWith('w') ? 7 : 0;
        if (days == 0)
        {
            return ConfigValue.TryParseDuration(s, out age);
        }

        age = TimeSpan.Zero;
        if (!int.TryParse(s[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 100_000)
        {
            return false;
        }

        age = TimeSpan.FromDays((double)n * days);
        return true;
    }
}
