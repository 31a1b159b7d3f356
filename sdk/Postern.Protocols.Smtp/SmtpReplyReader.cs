using System.Text;

namespace Postern.Protocols.Smtp;

/// <summary>Reads SMTP replies (RFC 5321 4.2: <c>250-first</c> ... <c>250 last</c>) from a stream, under limits.</summary>
internal sealed class SmtpReplyReader(Stream stream, int maxLines)
{
    // RFC 5321 4.5.3.1.5 caps a reply line at 512 octets; allow slack for servers that exceed it.
    private const int MaxLineBytes = 4096;
    private readonly byte[] buffer = new byte[8192];
    private int start;
    private int end;

    public async Task<SmtpReply> ReadAsync(CancellationToken ct)
    {
        var text = new StringBuilder();
        for (var lines = 0; lines < maxLines; lines++)
        {
            var line = await ReadLineAsync(ct);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), out var code) || code is < 200 or > 599
                || (line.Length > 3 && line[3] is not (' ' or '-')))
            {
                throw new SmtpException($"malformed reply line '{Printable(line)}'");
            }

            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(line.Length > 4 ? line[4..] : "");
            if (line.Length == 3 || line[3] == ' ')
            {
                return new SmtpReply(code, text.ToString());
            }
        }

        throw new SmtpException($"reply longer than {maxLines} lines");
    }

    private async Task<string> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var nl = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (nl >= 0)
            {
                var line = Encoding.UTF8.GetString(buffer, start, nl - start).TrimEnd('\r');
                start = nl + 1;
                return line;
            }

            if (end - start >= MaxLineBytes)
            {
                throw new SmtpException($"reply line longer than {MaxLineBytes} bytes");
            }

            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }

            var n = await stream.ReadAsync(buffer.AsMemory(end), ct);
            if (n == 0)
            {
                throw new SmtpException("the server closed the connection");
            }

            end += n;
        }
    }

    private static string Printable(string s) =>
        new([.. s.Take(80).Select(c => char.IsControl(c) ? '?' : c)]);
}
