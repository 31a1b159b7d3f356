using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>
/// Opens a <c>.cvd</c>/<c>.cld</c>/<c>.cud</c> and hands each tar member to a callback as it streams past, so a
/// large container is never held in memory. The body's MD5 from the header is checked first, which catches a
/// truncated or altered download; the digital signature is not checked (we do not carry ClamAV's public key),
/// so point Postern only at databases freshclam or you put there.
/// </summary>
internal static class ContainerReader
{
    private static readonly byte[] GzipMagic = [0x1F, 0x8B];

    public static ContainerHeader Read(string path, Action<string, Stream> member, CancellationToken cancellationToken)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var headerBytes = new byte[ContainerHeader.Length];
        file.ReadExactly(headerBytes);
        var header = ContainerHeader.Parse(headerBytes, path);
        CheckMd5(file, header, path);

        file.Position = ContainerHeader.Length;
        Span<byte> magic = stackalloc byte[2];
        var gzipped = file.Read(magic) == 2 && magic.SequenceEqual(GzipMagic);
        file.Position = ContainerHeader.Length;

        // A .cld written by freshclam may hold a plain tar; ClamAV's gz reader passes those through too.
        using Stream body = gzipped ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
        using var tar = new TarReader(body, leaveOpen: true);
        while (tar.GetNextEntry() is { } entry)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream is { } data)
            {
                member(entry.Name, data);
            }
        }

        return header;
    }

    private static void CheckMd5(FileStream file, ContainerHeader header, string path)
    {
        if (header.Md5.Length != 32)
        {
            return;
        }

        file.Position = ContainerHeader.Length;
        var actual = Convert.ToHexStringLower(MD5.HashData(file));
        if (!actual.Equals(header.Md5, StringComparison.OrdinalIgnoreCase))
        {
            throw new SignatureDatabaseException($"{path}: the body's MD5 is {actual}, the header says {header.Md5}: truncated or altered");
        }
    }
}
