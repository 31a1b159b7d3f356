using System.Buffers.Binary;

namespace Postern.Extraction.Tests.Support;

/// <summary>
/// A zip whose central directory lists one deflated kernel of zeros many times, all pointing at the same local entry:
/// the fully overlapping variant of Fifield's construction (output grows with the entry count, input hardly at all).
/// </summary>
public static class OverlapZip
{
    public static byte[] Build(int entries, long kernelBytes)
    {
        var single = TestArchives.ZerosZip("k", kernelBytes);
        var eocd = single.AsSpan().LastIndexOf("PK\x05\x06"u8);
        var directoryOffset = (int)BinaryPrimitives.ReadUInt32LittleEndian(single.AsSpan(eocd + 16));
        var record = single.AsSpan(directoryOffset, eocd - directoryOffset).ToArray();
        using var output = new MemoryStream();
        output.Write(single, 0, directoryOffset);
        for (var i = 0; i < entries; i++)
        {
            output.Write(record);
        }

        var end = single.AsSpan(eocd, 22).ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(8), (ushort)entries);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(10), (ushort)entries);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(12), (uint)(record.Length * entries));
        output.Write(end);
        return output.ToArray();
    }
}
