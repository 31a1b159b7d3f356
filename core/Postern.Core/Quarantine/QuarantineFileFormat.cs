using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Postern.Core.Quarantine;

/// <summary>
/// One file per item, so a single rename publishes envelope, verdict and message together:
/// <c>POSTERN-QUARANTINE 1 &lt;json length&gt;\n</c>, the item as JSON, <c>\n</c>, then the message byte for byte.
/// The index can always be rebuilt from the files alone.
/// </summary>
internal static class QuarantineFileFormat
{
    public const string Extension = ".pq";
    private const string Magic = "POSTERN-QUARANTINE 1 ";

    // An item's JSON is a few KiB; a header claiming more is a damaged file, not a reason to allocate.
    private const int MaxJsonBytes = 4 << 20;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Write(Stream stream, QuarantineItem item, ReadOnlySpan<byte> message)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(item, Json);
        stream.Write(Encoding.ASCII.GetBytes($"{Magic}{json.Length}\n"));
        stream.Write(json);
        stream.WriteByte((byte)'\n');
        stream.Write(message);
    }

    public static string Sha256(ReadOnlySpan<byte> message) => Convert.ToHexStringLower(SHA256.HashData(message));

    /// <summary>Reads an item and its message; null when the file is not a complete, intact item.</summary>
    public static (QuarantineItem Item, byte[] Message)? Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var nl = Array.IndexOf(bytes, (byte)'\n');
        if (nl < 0 || nl > 64)
        {
            return null;
        }

        var head = Encoding.ASCII.GetString(bytes, 0, nl);
        if (!head.StartsWith(Magic, StringComparison.Ordinal) || !int.TryParse(head.AsSpan(Magic.Length), out var length)
            || length is < 2 or > MaxJsonBytes || nl + 1 + length + 1 > bytes.Length)
        {
            return null;
        }

        QuarantineItem? item;
        try
        {
            item = JsonSerializer.Deserialize<QuarantineItem>(bytes.AsSpan(nl + 1, length), Json);
        }
        catch (JsonException)
        {
            return null;
        }

        var message = bytes[(nl + 1 + length + 1)..];
        return item is null || item.Sha256 != Sha256(message) || !QuarantineId.IsValid(item.Id) ? null : (item, message);
    }
}
