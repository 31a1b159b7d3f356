using System.Buffers;

namespace Postern.Extraction.Mime;

/// <summary>
/// "Clearly base64": nothing but the base64 alphabet, padding and line breaks, with at least one long unbroken line.
/// Clients such as Outlook decode such a body even when the Content-Transfer-Encoding header is missing or different.
/// </summary>
internal static class Base64Sniffer
{
    // Encoders wrap at 76 (RFC 2045) or 64 (RFC 1421); 40 unbroken alphabet characters are not prose.
    private const int MinLineChars = 40;

    private static readonly SearchValues<byte> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\r\n \t"u8);

    public static bool LooksLikeBase64(ReadOnlySpan<byte> body)
    {
        var trimmed = body.Trim("\r\n \t"u8);
        if (trimmed.Length < MinLineChars || trimmed.IndexOfAnyExcept(Allowed) >= 0)
        {
            return false;
        }

        var line = trimmed.IndexOfAny("\r\n \t"u8);
        return (line < 0 ? trimmed.Length : line) >= MinLineChars;
    }
}
