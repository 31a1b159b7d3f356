using System.Text;
using Postern.Extraction.Mime;

namespace Postern.Extraction.Tests;

public sealed class HeaderBlockTests
{
    [Theory]
    [InlineData("A: 1\r\nB: 2\r\n\r\nbody\n\nmore", 14)]          // CRLF end; a bare "\n\n" later in the body
    [InlineData("A: 1\nB: 2\n\nbody\r\n\r\nmore", 11)]            // LF end; a CRLF end later
    [InlineData("A: 1\r\nB: 2\n\nbody\r\n\r\n", 12)]              // mixed: the LF end comes first
    [InlineData("A: 1\r\n\r\n", 8)]
    [InlineData("\n\n", 2)]
    [InlineData("\r\n\r\n", 4)]
    [InlineData("A: 1\r\nB: 2\r\n", 12)]                          // no end: the whole length
    public void Length_IsUpToAndIncludingTheFirstBlankLine(string message, int expected) =>
        Assert.Equal(expected, HeaderBlock.Length(Encoding.ASCII.GetBytes(message)));
}
