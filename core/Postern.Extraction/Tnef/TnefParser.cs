using System.Buffers.Binary;
using System.Text;

namespace Postern.Extraction.Tnef;

/// <summary>
/// A small TNEF ([MS-OXTNEF]) reader: walks the attribute list and returns each attachment's title and data as ranges
/// of the input, without copying. Every length is checked against the input before use (libytnef's heap overflows
/// came from trusting them). MAPI property blocks are not decoded, so PR_ATTACH_LONG_FILENAME and embedded messages
/// (PR_ATTACH_DATA_OBJ) are not read; the whole TNEF blob is still scanned as its own item.
/// </summary>
internal static class TnefParser
{
    private const uint Signature = 0x223E9F78;
    private const byte LevelAttachment = 2;

    // [MS-OXTNEF] 2.1.3.3: attribute ids (type in the high word).
    private const uint AttachRendData = 0x00069002;
    private const uint AttachTitle = 0x00018010;
    private const uint AttachData = 0x0006800F;

    // Signature (4) and legacy key (2).
    private const int PreambleBytes = 6;

    // Level (1), id (4), length (4); then data and a 2-byte checksum.
    private const int AttributeHeaderBytes = 9;

    public static (List<TnefAttachment> Attachments, string? Reason) Parse(ReadOnlySpan<byte> tnef)
    {
        var attachments = new List<TnefAttachment>();
        if (tnef.Length < PreambleBytes || BinaryPrimitives.ReadUInt32LittleEndian(tnef) != Signature)
        {
            return (attachments, "corrupt: TNEF signature");
        }

        var at = PreambleBytes;
        while (at + AttributeHeaderBytes <= tnef.Length)
        {
            var level = tnef[at];
            var id = BinaryPrimitives.ReadUInt32LittleEndian(tnef[(at + 1)..]);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(tnef[(at + 5)..]);
            var dataStart = at + AttributeHeaderBytes;
            if (length > (uint)(tnef.Length - dataStart))
            {
                return (attachments, "corrupt: TNEF attribute runs past the end");
            }

            var data = new Range(dataStart, dataStart + (int)length);
            if (level == LevelAttachment)
            {
                Apply(attachments, id, data, tnef[data]);
            }

            at = dataStart + (int)length + 2;
        }

        return (attachments, null);
    }

    private static void Apply(List<TnefAttachment> attachments, uint id, Range range, ReadOnlySpan<byte> data)
    {
        if (id == AttachRendData || attachments.Count == 0)
        {
            attachments.Add(new TnefAttachment());
        }

        var current = attachments[^1];
        if (id == AttachTitle)
        {
            var end = data.IndexOf((byte)0);
            // TNEF strings are in the message code page; Latin-1 keeps every byte and suits the common 1252.
            current.Name = Encoding.Latin1.GetString(end < 0 ? data : data[..end]);
        }
        else if (id == AttachData)
        {
            current.Data = range;
            current.HasData = true;
        }
    }
}
