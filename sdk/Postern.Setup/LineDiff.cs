using System.Text;

namespace Postern.Setup;

/// <summary>A unified diff of two texts for the printed plan (what an admin reads before saying yes).</summary>
internal static class LineDiff
{
    private const int Context = 3;
    private const long MaxCells = 25_000_000; // LCS table bound: about 5,000 x 5,000 lines

    public static string Unified(string path, string? before, string? after)
    {
        var a = Lines(before);
        var b = Lines(after);
        var sb = new StringBuilder();
        sb.Append("--- ").Append(before is null ? "/dev/null" : path).Append('\n');
        sb.Append("+++ ").Append(after is null ? "/dev/null" : path).Append('\n');
        if ((long)a.Length * b.Length > MaxCells)
        {
            sb.Append($"@@ whole file replaced: {a.Length} lines -> {b.Length} lines @@\n");
            return sb.ToString();
        }

        var ops = Script(a, b);
        for (var i = 0; i < ops.Count;)
        {
            if (ops[i].Kind == ' ')
            {
                i++;
                continue;
            }

            // A hunk: from Context lines before the change to Context lines after the last change near it.
            var start = Math.Max(0, i - Context);
            var end = i;
            while (end < ops.Count)
            {
                if (ops[end].Kind != ' ')
                {
                    end++;
                    continue;
                }

                var run = end;
                while (run < ops.Count && ops[run].Kind == ' ')
                {
                    run++;
                }

                if (run == ops.Count || run - end > 2 * Context)
                {
                    end = Math.Min(ops.Count, end + Context);
                    break;
                }

                end = run;
            }

            var aStart = ops[start].A;
            var bStart = ops[start].B;
            var aCount = ops.Skip(start).Take(end - start).Count(o => o.Kind != '+');
            var bCount = ops.Skip(start).Take(end - start).Count(o => o.Kind != '-');
            sb.Append($"@@ -{aStart + (aCount > 0 ? 1 : 0)},{aCount} +{bStart + (bCount > 0 ? 1 : 0)},{bCount} @@\n");
            for (var k = start; k < end; k++)
            {
                sb.Append(ops[k].Kind).Append(ops[k].Text).Append('\n');
            }

            i = end;
        }

        return sb.ToString();
    }

    private static string[] Lines(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var lines = text.Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    private readonly record struct Op(char Kind, string Text, int A, int B);

    private static List<Op> Script(string[] a, string[] b)
    {
        var n = a.Length;
        var m = b.Length;
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var ops = new List<Op>(n + m);
        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && a[x] == b[y])
            {
                ops.Add(new Op(' ', a[x], x, y));
                x++;
                y++;
            }
            else if (x < n && (y == m || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                ops.Add(new Op('-', a[x], x, y));
                x++;
            }
            else
            {
                ops.Add(new Op('+', b[y], x, y));
                y++;
            }
        }

        return ops;
    }
}
