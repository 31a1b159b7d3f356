using System.Buffers.Binary;

namespace Postern.Extraction.Archives;

/// <summary>One central-directory record of a zip, with where its data lies (after the local header).</summary>
/// <param name="Method">The compression method (0 stored, 8 deflate).</param>
/// <param name="Flags">The general-purpose flags (bit 0: encrypted).</param>
/// <param name="Crc">The CRC-32 the directory gives.</param>
/// <param name="CompressedSize">The stored data's length.</param>
/// <param name="Size">The length once decompressed.</param>
/// <param name="LocalHeader">The offset of the local header, from the start of the archive.</param>
/// <param name="DataStart">The offset of the data, or -1 when the local header is not where the record says (or the
/// compressed size or the offset is a zip64 placeholder). The data may run past the end of a damaged archive.</param>
internal readonly record struct ZipRecord(ushort Method, ushort Flags, uint Crc, long CompressedSize, long Size, long LocalHeader, long DataStart)
{
    /// <summary>The offset just past the data, or -1 when the data cannot be located.</summary>
    public long DataEnd => DataStart < 0 ? -1 : DataStart + CompressedSize;
}

/// <summary>
/// The central directory of a zip held in memory, read as unzip does: the end record found from the end, then each
/// 46-byte record in turn. Only 32-bit fields are read; a record whose compressed size or offset says "see the zip64
/// extra" (0xFFFFFFFF) keeps those values and has no data start, so callers leave it to the full reader.
/// </summary>
internal static class ZipDirectory
{
    private const uint CentralHeader = 0x02014B50;
    private const uint LocalHeader = 0x04034B50;
    private const int CentralFixedBytes = 46;
    private const int LocalFixedBytes = 30;
    private const int EocdBytes = 22;

    /// <summary>The records in directory order; empty when no end record is found.</summary>
    public static List<ZipRecord> Read(ReadOnlySpan<byte> zip)
    {
        var result = new List<ZipRecord>();
        var eocd = zip.LastIndexOf("PK\x05\x06"u8);
        if (eocd < 0 || zip.Length - eocd < EocdBytes)
        {
            return result;
        }

        var at = (long)BinaryPrimitives.ReadUInt32LittleEndian(zip[(eocd + 16)..]);
        while (at + CentralFixedBytes <= zip.Length
            && BinaryPrimitives.ReadUInt32LittleEndian(zip[(int)at..]) == CentralHeader)
        {
            var entry = zip[(int)at..];
            var compressed = BinaryPrimitives.ReadUInt32LittleEndian(entry[20..]);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(entry[24..]);
            var local = BinaryPrimitives.ReadUInt32LittleEndian(entry[42..]);
            result.Add(new ZipRecord(
                BinaryPrimitives.ReadUInt16LittleEndian(entry[10..]), BinaryPrimitives.ReadUInt16LittleEndian(entry[8..]),
                BinaryPrimitives.ReadUInt32LittleEndian(entry[16..]), compressed, size, local,
                compressed == uint.MaxValue || local == uint.MaxValue ? -1 : DataStart(zip, local)));
            at += CentralFixedBytes + BinaryPrimitives.ReadUInt16LittleEndian(entry[28..])
                + BinaryPrimitives.ReadUInt16LittleEndian(entry[30..]) + BinaryPrimitives.ReadUInt16LittleEndian(entry[32..]);
        }

        return result;
    }

    private static long DataStart(ReadOnlySpan<byte> zip, long local)
    {
        if (local + LocalFixedBytes > zip.Length || BinaryPrimitives.ReadUInt32LittleEndian(zip[(int)local..]) != LocalHeader)
        {
            return -1;
        }

        var header = zip[(int)local..];
        return local + LocalFixedBytes + BinaryPrimitives.ReadUInt16LittleEndian(header[26..]) + BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
    }
}
