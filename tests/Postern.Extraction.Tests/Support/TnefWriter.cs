using System.Buffers.Binary;
using System.Text;

namespace Postern.Extraction.Tests.Support;

/// <summary>A minimal TNEF stream ([MS-OXTNEF]): version attribute, then per attachment RendData, Title and Data.</summary>
public static class TnefWriter
{
    public static byte[] Build(params (string Name, byte[] Data)[] attachments)
    {
        using var output = new MemoryStream();
        Span<byte> head = stackalloc byte[6];
        BinaryPrimitives.WriteUInt32LittleEndian(head, 0x223E9F78);
        BinaryPrimitives.WriteUInt16LittleEndian(head[4..], 0x0001);
        output.Write(head);
        Attribute(output, 1, 0x00089006, [0, 0, 1, 0]);                     // attTnefVersion
        foreach (var (name, data) in attachments)
        {
            Attribute(output, 2, 0x00069002, new byte[14]);                  // attAttachRendData
            Attribute(output, 2, 0x00018010, Encoding.ASCII.GetBytes(name + "\0")); // attAttachTitle
            Attribute(output, 2, 0x0006800F, data);                          // attAttachData
        }

        return output.ToArray();
    }

    private static void Attribute(Stream output, byte level, uint id, byte[] data)
    {
        var header = new byte[9];
        header[0] = level;
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(1), id);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(5), (uint)data.Length);
        output.Write(header);
        output.Write(data);
        var checksum = (ushort)data.Sum(b => b);
        output.Write(BitConverter.GetBytes(checksum));
    }
}
