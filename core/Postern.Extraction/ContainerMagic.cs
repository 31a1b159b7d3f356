using System.Buffers.Binary;

namespace Postern.Extraction;

/// <summary>
/// Recognises containers by their bytes, never by declared type or filename (a sender controls both).
/// </summary>
internal static class ContainerMagic
{
    // End-of-central-directory record: 22 bytes plus a comment of at most 65535 (APPNOTE 4.3.16).
    private const int EocdSearchBytes = 22 + 65535;

    // ustar magic sits at offset 257 of the first 512-byte header (POSIX.1-1988); GNU tar writes "ustar  \0".
    private const int TarMagicOffset = 257;

    /// <summary>The format of <paramref name="data"/> and where the container starts inside it (non-zero only for a zip
    /// with data in front of it).</summary>
    public static (ContainerFormat Format, int Start) Detect(ReadOnlySpan<byte> data)
    {
        var format = DetectAtStart(data);
        if (format != ContainerFormat.None)
        {
            return (format, 0);
        }

        var start = FindPrefixedZip(data);
        return start >= 0 ? (ContainerFormat.Zip, start) : (ContainerFormat.None, 0);
    }

    private static ContainerFormat DetectAtStart(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith("PK\x03\x04"u8) || data.StartsWith("PK\x05\x06"u8) || data.StartsWith("PK\x07\x08"u8))
        {
            return ContainerFormat.Zip;
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]))
        {
            return ContainerFormat.SevenZip;
        }

        if (data.StartsWith("Rar!\x1A\x07"u8))
        {
            return ContainerFormat.Rar;
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B, 0x08]))
        {
            return ContainerFormat.GZip;
        }

        if (data.Length >= 10 && data.StartsWith("BZh"u8) && data[3] is >= (byte)'1' and <= (byte)'9')
        {
            return ContainerFormat.BZip2;
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]))
        {
            return ContainerFormat.Xz;
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD]))
        {
            return ContainerFormat.Zstd;
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0x78, 0x9F, 0x3E, 0x22]))
        {
            return ContainerFormat.Tnef;
        }

        if (data.Length >= 512 && data[TarMagicOffset..].StartsWith("ustar"u8))
        {
            return ContainerFormat.Tar;
        }

        return ContainerFormat.None;
    }

    /// <summary>
    /// Unzip tools read a zip from its end, so junk (or a whole other file) in front of it does not stop a recipient
    /// from opening it; neither may it stop us. The end record must point back at a central directory header, so that
    /// four stray bytes in a picture do not make it a "corrupt zip". Returns where the zip starts, or -1.
    /// </summary>
    private static int FindPrefixedZip(ReadOnlySpan<byte> data)
    {
        var tailStart = Math.Max(0, data.Length - EocdSearchBytes);
        var at = data[tailStart..].LastIndexOf("PK\x05\x06"u8);
        if (at < 0 || data.Length - (tailStart + at) < 22)
        {
            return -1;
        }

        var eocd = tailStart + at;
        var directorySize = BinaryPrimitives.ReadUInt32LittleEndian(data[(eocd + 12)..]);
        var directoryOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[(eocd + 16)..]);
        var directory = eocd - (long)directorySize;
        if (directorySize == 0 || directory < 0 || !data[(int)directory..].StartsWith("PK\x01\x02"u8))
        {
            return -1;
        }

        var start = directory - directoryOffset;
        return start >= 0 ? (int)start : 0;
    }
}
