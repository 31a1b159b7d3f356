namespace Postern.Core.Policy;

/// <summary>"Did you mean" for misspelt setting names.</summary>
public static class SettingNames
{
    public static string Unknown(string name, IEnumerable<string> known)
    {
        var near = known.MinBy(n => Distance(n, name));
        return near is not null && Distance(near, name) <= 3
            ? $"unknown setting; did you mean '{near}'?"
            : "unknown setting";
    }

    public static int Distance(string a, string b)
    {
        var d = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            d[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            var prev = d[0];
            d[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cur = d[j];
                d[j] = Math.Min(Math.Min(d[j] + 1, d[j - 1] + 1), prev + (a[i - 1] == b[j - 1] ? 0 : 1));
                prev = cur;
            }
        }

        return d[b.Length];
    }
}
