using System.Collections.Immutable;
using System.Text;

namespace Postern.Testing;

/// <summary>One transaction a <see cref="RecordingSmtpSink"/> accepted. Immutable.</summary>
/// <param name="Sender">The MAIL FROM address without angle brackets ("" for the null sender).</param>
/// <param name="MailParameters">What followed the address on MAIL FROM (<c>BODY=8BITMIME RET=HDRS</c>), verbatim.</param>
/// <param name="Recipients">The RCPT TO addresses, in order.</param>
/// <param name="RecipientParameters">What followed each RCPT TO address, verbatim, in the same order.</param>
/// <param name="Xforward">Every XFORWARD attribute sent in the session before this transaction (NAME, ADDR, ...).</param>
/// <param name="Helo">The EHLO/HELO argument.</param>
/// <param name="Data">The message as received with the dot-stuffing undone and the final CRLF.CRLF removed; line
/// endings exactly as they came on the wire.</param>
public sealed record RecordedMessage(
    string Sender,
    string MailParameters,
    ImmutableArray<string> Recipients,
    ImmutableArray<string> RecipientParameters,
    ImmutableDictionary<string, string> Xforward,
    string Helo,
    byte[] Data)
{
    /// <summary>The data as Latin-1 text (one char per byte), for header checks.</summary>
    public string Text => Encoding.Latin1.GetString(Data);

    /// <summary>The header block (up to the first empty line), as text.</summary>
    public string Headers
    {
        get
        {
            var t = Text;
            var end = t.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            return end < 0 ? t : t[..(end + 2)];
        }
    }

    /// <summary>The body after the first empty line, as bytes.</summary>
    public byte[] Body
    {
        get
        {
            var end = Data.AsSpan().IndexOf("\r\n\r\n"u8);
            return end < 0 ? [] : Data[(end + 4)..];
        }
    }
}
