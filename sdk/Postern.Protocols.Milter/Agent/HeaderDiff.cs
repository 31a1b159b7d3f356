using System.Text;

namespace Postern.Protocols.Milter.Agent;

/// <summary>
/// Turns the headers of the decided message into milter header modifications against the headers the MTA sent:
/// CHGHEADER for a value that changed in place, CHGHEADER with an empty value to delete, INSHEADER for a header
/// that appears before the end, ADDHEADER for one appended. Changes come first (they shift nothing), then deletions
/// from the highest occurrence down, then insertions in final order, so every index is right whichever way the MTA
/// counts deleted headers. Pure; thread-safe.
/// </summary>
public static class HeaderDiff
{
    /// <summary>The modifications that make <paramref name="received"/> into <paramref name="wanted"/>.</summary>
    public static List<MilterModification> Diff(IReadOnlyList<MilterHeader> received, IReadOnlyList<MilterHeader> wanted)
    {
        var ops = Align(received, wanted);
        var changes = new List<MilterModification>();
        var deletes = new List<(string Name, int Index)>();
        var inserts = new List<(int Position, MilterHeader Header)>();
        var finalPosition = 0;

        // Pair a deleted and an inserted header of the same name between the same two kept headers into a change.
        for (var i = 0; i < ops.Count;)
        {
            if (ops[i].Kind == OpKind.Keep)
            {
                finalPosition++;
                i++;
                continue;
            }

            var gapEnd = i;
            while (gapEnd < ops.Count && ops[gapEnd].Kind != OpKind.Keep)
            {
                gapEnd++;
            }

            var dels = ops.Skip(i).Take(gapEnd - i).Where(o => o.Kind == OpKind.Delete).ToList();
            foreach (var ins in ops.Skip(i).Take(gapEnd - i).Where(o => o.Kind == OpKind.Insert))
            {
                var header = wanted[ins.New];
                var match = dels.FindIndex(d => received[d.Old].Name.Equals(header.Name, StringComparison.OrdinalIgnoreCase));
                if (match >= 0)
                {
                    var old = dels[match].Old;
                    dels.RemoveAt(match);
                    changes.Add(new ChangeHeader(Occurrence(received, old), received[old].Name, header.Value.Length == 0 ? " " : header.Value));
                }
                else
                {
                    inserts.Add((finalPosition, header));
                }

                finalPosition++;
            }

            deletes.AddRange(dels.Select(d => (received[d.Old].Name, Occurrence(received, d.Old))));
            i = gapEnd;
        }

        var result = new List<MilterModification>(changes);
        result.AddRange(deletes.OrderByDescending(d => d.Index).Select(d => new ChangeHeader(d.Index, d.Name, "")));
        var total = wanted.Count;
        foreach (var (position, header) in inserts)
        {
            result.Add(IsTail(inserts, position, total) ? new AddHeader(header.Name, header.Value) : new InsertHeader(position, header.Name, header.Value));
        }

        return result;
    }

    // An insertion is at the tail when it and every position after it are insertions too.
    private static bool IsTail(List<(int Position, MilterHeader Header)> inserts, int position, int total)
    {
        for (var p = position; p < total; p++)
        {
            if (!inserts.Exists(x => x.Position == p))
            {
                return false;
            }
        }

        return true;
    }

    private static int Occurrence(IReadOnlyList<MilterHeader> headers, int index)
    {
        var n = 0;
        for (var i = 0; i <= index; i++)
        {
            if (headers[i].Name.Equals(headers[index].Name, StringComparison.OrdinalIgnoreCase))
            {
                n++;
            }
        }

        return n;
    }

    private enum OpKind
    {
        Keep,
        Delete,
        Insert,
    }

    private readonly record struct Op(OpKind Kind, int Old, int New);

    // Longest common subsequence of (name, value) pairs after trimming the common prefix and suffix.
    private static List<Op> Align(IReadOnlyList<MilterHeader> a, IReadOnlyList<MilterHeader> b)
    {
        var ops = new List<Op>();
        var prefix = 0;
        while (prefix < a.Count && prefix < b.Count && Same(a[prefix], b[prefix]))
        {
            ops.Add(new Op(OpKind.Keep, prefix, prefix));
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Count - prefix && suffix < b.Count - prefix && Same(a[a.Count - 1 - suffix], b[b.Count - 1 - suffix]))
        {
            suffix++;
        }

        var n = a.Count - prefix - suffix;
        var m = b.Count - prefix - suffix;
        var table = new int[(n + 1) * (m + 1)];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                table[(i * (m + 1)) + j] = Same(a[prefix + i], b[prefix + j])
                    ? table[((i + 1) * (m + 1)) + j + 1] + 1
                    : Math.Max(table[((i + 1) * (m + 1)) + j], table[(i * (m + 1)) + j + 1]);
            }
        }

        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && Same(a[prefix + x], b[prefix + y]))
            {
                ops.Add(new Op(OpKind.Keep, prefix + x++, prefix + y++));
            }
            else if (y < m && (x == n || table[(x * (m + 1)) + y + 1] >= table[((x + 1) * (m + 1)) + y]))
            {
                ops.Add(new Op(OpKind.Insert, -1, prefix + y++));
            }
            else
            {
                ops.Add(new Op(OpKind.Delete, prefix + x++, -1));
            }
        }

        for (var s = 0; s < suffix; s++)
        {
            ops.Add(new Op(OpKind.Keep, a.Count - suffix + s, b.Count - suffix + s));
        }

        return ops;
    }

    private static bool Same(MilterHeader x, MilterHeader y) =>
        x.Name.Equals(y.Name, StringComparison.OrdinalIgnoreCase) && x.Value == y.Value;

    /// <summary>
    /// Splits a raw message (CRLF or LF) into its headers in milter form (Latin-1 text, folded lines joined by a bare LF,
    /// the leading space kept when <paramref name="leadingSpace"/> is set, else one space removed) and the offset of the body.
    /// </summary>
    public static (List<MilterHeader> Headers, int BodyOffset) Parse(ReadOnlySpan<byte> message, bool leadingSpace)
    {
        var headers = new List<MilterHeader>();
        var at = 0;
        string? name = null;
        var value = new StringBuilder();
        while (at < message.Length)
        {
            var lf = message[at..].IndexOf((byte)'\n');
            var end = lf < 0 ? message.Length : at + lf;
            var next = lf < 0 ? message.Length : end + 1;
            var line = message[at..(end > at && message[end - 1] == '\r' ? end - 1 : end)];
            if (line.IsEmpty)
            {
                Flush();
                return (headers, next);
            }

            if (line[0] is (byte)' ' or (byte)'\t' && name is not null)
            {
                value.Append('\n').Append(Encoding.Latin1.GetString(line));
            }
            else
            {
                Flush();
                var colon = line.IndexOf((byte)':');
                if (colon <= 0)
                {
                    // Not a header: the message has no header block end; treat the rest as body.
                    return (headers, at);
                }

                name = Encoding.Latin1.GetString(line[..colon]).TrimEnd();
                value.Append(Encoding.Latin1.GetString(line[(colon + 1)..]));
            }

            at = next;
        }

        Flush();
        return (headers, message.Length);

        void Flush()
        {
            if (name is null)
            {
                return;
            }

            var v = value.ToString();
            headers.Add(new MilterHeader(name, leadingSpace || v.Length == 0 || v[0] != ' ' ? v : v[1..]));
            name = null;
            value.Clear();
        }
    }

    /// <summary>Writes headers in milter form back as raw lines (CRLF), the way the MTA would store them.</summary>
    public static void Write(Stream output, IEnumerable<MilterHeader> headers, bool leadingSpace)
    {
        foreach (var h in headers)
        {
            var value = h.Value.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
            output.Write(Encoding.Latin1.GetBytes($"{h.Name}:{(leadingSpace ? "" : " ")}{value}\r\n"));
        }
    }
}
