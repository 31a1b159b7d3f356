using System.Collections.Immutable;
using System.Text;
using Postern.Sdk.Messages;

namespace Postern.Plugins.Mta.Zmailer;

/// <summary>
/// An smtpserver spool file: envelope lines (<c>from &lt;addr&gt;</c>, <c>to &lt;addr&gt;</c>, <c>rcvdfrom host (ip:port
/// ...)</c>, others ignored) up to the line <c>env-end</c>, then the message.
/// </summary>
internal static class SpoolFile
{
    /// <summary>Splits the file; null when there is no <c>env-end</c> line within the first 1 MiB.</summary>
    public static (Envelope Envelope, ReadOnlyMemory<byte> Message)? Parse(byte[] file)
    {
        string? sender = null;
        var recipients = ImmutableArray.CreateBuilder<string>();
        string? clientName = null;
        string? clientAddress = null;
        var position = 0;
        while (position < file.Length && position < (1 << 20))
        {
            var nl = Array.IndexOf(file, (byte)'\n', position);
            if (nl < 0)
            {
                return null;
            }

            var line = Encoding.UTF8.GetString(file, position, nl - position).TrimEnd('\r');
            position = nl + 1;
            if (line == "env-end")
            {
                var envelope = new Envelope(sender ?? "", recipients.ToImmutable(), clientAddress, clientName, Agent: "zmailer");
                return (envelope, file.AsMemory(position));
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var key = space < 0 ? line : line[..space];
            var value = space < 0 ? "" : line[(space + 1)..].Trim();
            switch (key)
            {
                case "from":
                    sender = Unbracket(value);
                    break;
                case "to":
                    recipients.Add(Unbracket(value));
                    break;
                case "rcvdfrom":
                    (clientName, clientAddress) = ParseRcvdFrom(value);
                    break;
                case "channel" when value == "error":
                    sender = "";
                    break;
                default:
                    break;
            }
        }

        return null;
    }

    private static string Unbracket(string value)
    {
        var a = value.IndexOf('<', StringComparison.Ordinal);
        var b = value.LastIndexOf('>');
        return a >= 0 && b > a ? value[(a + 1)..b] : value;
    }

    /// <summary><c>mx.example.org (192.0.2.1:40000 &lt;helo&gt;)</c> gives the name and the address.</summary>
    private static (string? Name, string? Address) ParseRcvdFrom(string value)
    {
        var paren = value.IndexOf('(', StringComparison.Ordinal);
        var name = (paren < 0 ? value : value[..paren]).Trim();
        string? address = null;
        if (paren >= 0)
        {
            var inner = value[(paren + 1)..];
            var end = inner.IndexOfAny([' ', ')']);
            var hostPort = end < 0 ? inner : inner[..end];
            var colon = hostPort.LastIndexOf(':');
            address = colon > 0 && hostPort.Count(c => c == ':') == 1 ? hostPort[..colon] : hostPort;
            if (address.StartsWith('[') && address.EndsWith(']'))
            {
                address = address[1..^1];
            }
        }

        return (name.Length > 0 ? name : null, string.IsNullOrEmpty(address) ? null : address);
    }
}
