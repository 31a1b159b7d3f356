using System.Text;

namespace Postern.Protocols.Smtp.Tests;

public sealed class DataEncoderTests
{
    [Theory]
    [InlineData("a\r\nb\r\n", "a\r\nb\r\n.\r\n")]
    [InlineData("a\nb", "a\r\nb\r\n.\r\n")]
    [InlineData("a\rb\r\n", "a\r\nb\r\n.\r\n")]
    [InlineData(".x\r\n..y\r\n.\r\n", "..x\r\n...y\r\n..\r\n.\r\n")]
    [InlineData("", ".\r\n")]
    [InlineData("\r\r\n\n.", "\r\n\r\n\r\n..\r\n.\r\n")]
    [InlineData("x\r", "x\r\n.\r\n")]
    [InlineData(".", "..\r\n.\r\n")]
    [InlineData("\n.\r\n.\n", "\r\n..\r\n..\r\n.\r\n")]
    public void Encode_LineEndsAndDots_AreCanonicalAndStuffed(string input, string expected) =>
        Assert.Equal(expected, Encoding.ASCII.GetString(DataEncoder.Encode(Encoding.ASCII.GetBytes(input))));

    [Fact]
    public void Encode_RandomInput_MatchesTheByteByByteDefinitionAndItsOwnLength()
    {
        var random = new Random(7);
        var alphabet = "ab.\r\n"u8.ToArray();
        for (var n = 0; n < 2000; n++)
        {
            var input = new byte[random.Next(0, 40)];
            for (var i = 0; i < input.Length; i++)
            {
                input[i] = alphabet[random.Next(alphabet.Length)];
            }

            Assert.Equal(Reference(input), DataEncoder.Encode(input));
            Assert.Equal(Reference(input).Length, DataEncoder.EncodedLength(input));
        }
    }

    // RFC 5321 4.5.2 spelled out one byte at a time: each CRLF, bare CR or bare LF ends a line; a line starting with
    // '.' gets another; an unterminated last line gets CRLF; then ".\r\n".
    private static byte[] Reference(byte[] message)
    {
        var output = new List<byte>();
        var lineStart = true;
        for (var i = 0; i < message.Length; i++)
        {
            var b = message[i];
            if (lineStart && b == '.')
            {
                output.Add((byte)'.');
            }

            if (b is (byte)'\r' or (byte)'\n')
            {
                if (b == '\r' && i + 1 < message.Length && message[i + 1] == '\n')
                {
                    i++;
                }

                output.AddRange("\r\n"u8.ToArray());
                lineStart = true;
                continue;
            }

            output.Add(b);
            lineStart = false;
        }

        if (!lineStart)
        {
            output.AddRange("\r\n"u8.ToArray());
        }

        output.AddRange(".\r\n"u8.ToArray());
        return [.. output];
    }
}
