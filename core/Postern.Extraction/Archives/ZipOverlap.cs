using System.Buffers.Binary;

namespace Postern.Extraction.Archives;

/// <summary>
/// Finds central-directory entries whose local data overlap, the construction of David Fifield's non-recursive zip bombs
/// ("A better zip bomb", WOOT 2019) and of ClamAV's Heuristics.Zip.OverlappingFiles. No honest zip tool writes them.
/// </summary>
internal static class ZipOverlap
{
    private const uint CentralHeader = 0x02014B50;
    private const uint LocalHeader = 0x04034B50;
    private const int CentralFixedBytes = 46;
    private const int LocalFixedBytes = 30;
    private const int EocdBytes = 22;

    /// <summary>True when two entries' local records overlap.</summary>
    public static bool HasOverlap(ReadOnlySpan<byte> zip)
    {
        var extents = Extents(zip);
        extents.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (var i = 1; i < extents.Count; i++)
        {
            if (extents[i].Start < extents[i - 1].End)
            {
                return true;
            }
        }

        return false;
    }

    private static List<(long Start, long End)> Extents(ReadOnlySpan<byte> zip)
    {
        var result = new List<(long, long)>();
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
            var local = BinaryPrimitives.ReadUInt32LittleEndian(entry[42..]);
            if (compressed != uint.MaxValue && local != uint.MaxValue && TryLocalEnd(zip, local, compressed, out var end))
            {
                result.Add((local, end));
            }

            at += CentralFixedBytes + BinaryPrimitives.ReadUInt16LittleEndian(entry[28..])
                + BinaryPrimitives.ReadUInt16LittleEndian(entry[30..]) + BinaryPrimitives.ReadUInt16LittleEndian(entry[32..]);
        }

        return result;
    }

    private static bool TryLocalEnd(ReadOnlySpan<byte> zip, long local, uint compressed, out long end)
    {
        end = 0;
        if (local + LocalFixedBytes > zip.Length || BinaryPrimitives.ReadUInt32LittleEndian(zip[(int)local..]) != LocalHeader)
        {
            return false;
        }

        var header = zip[(int)local..];
        end = local + LocalFixedBytes + BinaryPrimitives.ReadUInt16LittleEndian(header[26..])
            + BinaryPrimitives.ReadUInt16LittleEndian(header[28..]) + compressed;
        return true;
    }
}
