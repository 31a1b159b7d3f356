using System.Security.Cryptography;

namespace Postern.Core.Quarantine;

/// <summary>
/// Quarantine ids: 16 random bytes in lower-case base32 (RFC 4648 alphabet, no padding), 26 characters. Never derived
/// from the message, so a sender can neither predict nor collide with one, and a valid id is always a safe file name:
/// release and delete take ids only after <see cref="IsValid"/>, never paths.
/// </summary>
public static class QuarantineId
{
    public const int Length = 26;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        Span<char> chars = stackalloc char[Length];
        var bits = 0;
        var buffer = 0;
        var n = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[n++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }

        chars[n] = Alphabet[(buffer << (5 - bits)) & 31];
        return new string(chars);
    }

    public static bool IsValid(string? id) => id is { Length: Length } && id.All(c => Alphabet.Contains(c, StringComparison.Ordinal));
}
