using System.Text;

namespace Postern.Core.Marking;

/// <summary>
/// The header block of a message as raw fields (each with its continuation lines and line end), so headers can be
/// added, renamed or rewritten while every other byte of the message, the body above all, stays as received.
/// Latin-1 maps bytes to chars one to one, so 8-bit header bytes survive the round trip.
/// </summary>
internal sealed class RawHeaders
{
    private readonly List<string> fields;
    private readonly ReadOnlyMemory<byte> rest;

    private RawHeaders(List<string> fields, ReadOnlyMemory<byte> rest, string newLine)
    {
        this.fields = fields;
        this.rest = rest;
        NewLine = newLine;
    }

    /// <summary>The message's own line ending, used for added headers.</summary>
    public string NewLine { get; }

    /// <summary>Whether any field was added, renamed or rewritten since <see cref="Parse"/>.</summary>
    public bool Changed { get; private set; }

    /// <summary>The message from the empty line that ends the header block on (the body, with its separator), as
    /// received: a slice of the parsed message, never a copy.</summary>
    public ReadOnlyMemory<byte> Rest => rest;

    public static RawHeaders Parse(ReadOnlyMemory<byte> message)
    {
        var span = message.Span;
        var firstLf = span.IndexOf((byte)'\n');
        var newLine = firstLf > 0 && span[firstLf - 1] == (byte)'\r' ? "\r\n" : "\n";
        var fields = new List<string>();
        var pos = 0;
        while (pos < span.Length)
        {
            var lf = span[pos..].IndexOf((byte)'\n');
            var end = lf < 0 ? span.Length : pos + lf + 1;
            var line = Encoding.Latin1.GetString(span[pos..end]);
            if (line.TrimEnd('\r', '\n').Length == 0)
            {
                break;
            }

            if (line[0] is ' ' or '\t' && fields.Count > 0)
            {
                fields[^1] += line;
            }
            else
            {
                fields.Add(line);
            }

            pos = end;
        }

        return new RawHeaders(fields, message[pos..], newLine);
    }

    public static string NameOf(string field)
    {
        var colon = field.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? "" : field[..colon].Trim();
    }

    /// <summary>The raw value (after the colon, folding kept, line end dropped) of the first field with this name.</summary>
    public string? Value(string name)
    {
        var f = fields.FirstOrDefault(f => NameOf(f).Equals(name, StringComparison.OrdinalIgnoreCase));
        return f is null ? null : f[(f.IndexOf(':', StringComparison.Ordinal) + 1)..].TrimEnd('\r', '\n');
    }

    /// <summary>Every field whose name starts with <paramref name="prefix"/> gets <paramref name="newPrefix"/> in front.</summary>
    public void Rename(string prefix, string newPrefix)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (NameOf(fields[i]).StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                fields[i] = newPrefix + fields[i];
                Changed = true;
            }
        }
    }

    /// <summary>Sets the first field with this name to a value (replacing it in place), or adds it at the end.</summary>
    public void Set(string name, string value)
    {
        var field = $"{name}:{value}{NewLine}";
        Changed = true;
        var i = fields.FindIndex(f => NameOf(f).Equals(name, StringComparison.OrdinalIgnoreCase));
        if (i >= 0)
        {
            fields[i] = field;
        }
        else
        {
            fields.Add(field);
        }
    }

    /// <summary>Adds a field at the top, where trace fields go (RFC 5322 3.6.7).</summary>
    public void Prepend(string name, string value)
    {
        fields.Insert(0, $"{name}: {value}{NewLine}");
        Changed = true;
    }

    /// <summary>The header fields as bytes, without the empty line that ends them (that starts <see cref="Rest"/>).</summary>
    public byte[] HeadBytes() => Encoding.Latin1.GetBytes(string.Concat(fields));
}
