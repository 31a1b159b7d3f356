using System.Buffers.Binary;
using System.Text;

namespace Postern.Extraction.Tests.Support;

/// <summary>
/// A minimal RAR 4 archive with stored (method 0x30) files, written from the RAR 4.x technote layout; there is no rar
/// tool in Debian main to make one.
/// </summary>
public static class RarWriter
{
    public static byte[] Stored(params (string Name, byte[] Data)[] files)
    {
        using var output = new MemoryStream();
        output.Write("Rar!\x1A\x07\x00"u8);
        WriteBlock(output, 0x73, 0x0000, new byte[6]);
        foreach (var (name, data) in files)
        {
            var nameBytes = Encoding.ASCII.GetBytes(name);
            var body = new byte[25 + nameBytes.Length];
            BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(0), (uint)data.Length);   // PACK_SIZE
            BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), (uint)data.Length);   // UNP_SIZE
            body[8] = 2;                                                                   // HOST_OS: Windows
            BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(9), Crc32.Compute(data)); // FILE_CRC
            BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(13), 0x5A210000);        // FTIME (DOS)
            body[17] = 20;                                                                 // UNP_VER 2.0
            body[18] = 0x30;                                                               // METHOD: store
            BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(19), (ushort)nameBytes.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(21), 0x20);              // ATTR: archive
            nameBytes.CopyTo(body, 25);
            WriteBlock(output, 0x74, 0x8000, body);
            output.Write(data);
        }

        WriteBlock(output, 0x7B, 0x4000, []);
        return output.ToArray();
    }

    private static void WriteBlock(Stream output, byte type, ushort flags, byte[] body)
    {
        var header = new byte[7 + body.Length];
        header[2] = type;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(3), flags);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(5), (ushort)header.Length);
        body.CopyTo(header, 7);
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)Crc32.Compute(header.AsSpan(2)));
        output.Write(header);
    }
}
