using System.Buffers.Binary;
using System.Text;

namespace Postern.Extraction.Archives;

/// <summary>Reads the optional original file name from a gzip member header (RFC 1952 section 2.3).</summary>
internal static class GZipHeader
{
    private const byte FlagExtra = 0x04;
    private const byte FlagName = 0x08;

    // Fixed header: ID1 ID2 CM FLG MTIME(4) XFL OS.
    private const int FixedBytes = 10;

    // RFC 1952 puts no bound on FNAME; a name longer than a path is not a name.
    private const int MaxNameBytes = 1024;

    public static string? StoredName(ReadOnlySpan<byte> data)
    {
        if (data.Length < FixedBytes || (data[3] & FlagName) == 0)
        {
            return null;
        }

        var at = FixedBytes;
        if ((data[3] & FlagExtra) != 0)
        {
            if (data.Length < at + 2)
            {
                return null;
            }

            at += 2 + BinaryPrimitives.ReadUInt16LittleEndian(data[at..]);
        }

        if (at >= data.Length)
        {
            return null;
        }

        var rest = data[at..Math.Min(data.Length, at + MaxNameBytes)];
        var end = rest.IndexOf((byte)0);
        // RFC 1952 says ISO 8859-1.
        return end > 0 ? Encoding.Latin1.GetString(rest[..end]) : null;
    }
}
