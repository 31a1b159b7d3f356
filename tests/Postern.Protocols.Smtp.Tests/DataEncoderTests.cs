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
    public void Encode_LineEndsAndDots_AreCanonicalAndStuffed(string input, string expected) =>
        Assert.Equal(expected, Encoding.ASCII.GetString(DataEncoder.Encode(Encoding.ASCII.GetBytes(input))));
}
