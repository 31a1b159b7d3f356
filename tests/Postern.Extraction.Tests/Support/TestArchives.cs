using System.Formats.Tar;
using System.IO.Compression;
using SharpCompress.Compressors.BZip2;
using SharpCompressMode = SharpCompress.Compressors.CompressionMode;

namespace Postern.Extraction.Tests.Support;

/// <summary>Archives built at test time with the BCL and SharpCompress writers.</summary>
public static class TestArchives
{
    public static byte[] Zip(CompressionLevel level, params (string Name, byte[] Data)[] entries)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                using var stream = zip.CreateEntry(name, level).Open();
                stream.Write(data);
            }
        }

        return output.ToArray();
    }

    public static byte[] GZip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static byte[] BZip2(byte[] data)
    {
        using var output = new MemoryStream();
        using (var bzip = BZip2Stream.Create(output, SharpCompressMode.Compress, false, leaveOpen: true, false))
        {
            bzip.Write(data);
            bzip.Finish();
        }

        return output.ToArray();
    }

    public static byte[] Tar(params (string Name, byte[] Data)[] entries)
    {
        using var output = new MemoryStream();
        using (var tar = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
            }
        }

        return output.ToArray();
    }

    /// <summary>A deflated zip of <paramref name="bytes"/> zeros, written in 1 MiB steps (1 GiB gives about 1 MiB).</summary>
    public static byte[] ZerosZip(string name, long bytes)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
            var zeros = new byte[1024 * 1024];
            for (long done = 0; done < bytes; done += zeros.Length)
            {
                stream.Write(zeros, 0, (int)Math.Min(zeros.Length, bytes - done));
            }
        }

        return output.ToArray();
    }
}
