namespace Postern.Protocols.Smtp;

/// <summary>
/// Turns a message into the DATA payload (RFC 5321 4.5.2): every line ending becomes CRLF, so no bare CR or LF
/// reaches the server (the SMTP-smuggling vectors), lines starting with '.' get another '.', and the
/// terminating <c>CRLF.CRLF</c> follows.
/// </summary>
internal static class DataEncoder
{
    public static byte[] Encode(ReadOnlySpan<byte> message)
    {
        var output = new MemoryStream(message.Length + (message.Length / 40) + 8);
        var lineStart = true;
        for (var i = 0; i < message.Length; i++)
        {
            var b = message[i];
            if (lineStart && b == (byte)'.')
            {
                output.WriteByte((byte)'.');
            }

            if (b is (byte)'\r' or (byte)'\n')
            {
                if (b == (byte)'\r' && i + 1 < message.Length && message[i + 1] == (byte)'\n')
                {
                    i++;
                }

                output.Write("\r\n"u8);
                lineStart = true;
                continue;
            }

            output.WriteByte(b);
            lineStart = false;
        }

        if (!lineStart)
        {
            output.Write("\r\n"u8);
        }

        output.Write(".\r\n"u8);
        return output.ToArray();
    }

    /// <summary>True when the message has bytes above 127, which need BODY=8BITMIME.</summary>
    public static bool HasEightBit(ReadOnlySpan<byte> message) => message.IndexOfAnyInRange((byte)0x80, (byte)0xFF) >= 0;
}
