using System.IO.Compression;
using Postern.Extraction.Archives;
using Postern.Extraction.Tests.Support;

namespace Postern.Extraction.Tests;

public sealed class ZipDirectoryTests
{
    private static readonly byte[] Text = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(1, 300).Select(i => $"line {i} of the member\n")));

    private static byte[] TwoMembers()
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var a = zip.CreateEntry("deflated.txt", CompressionLevel.Optimal).Open())
            {
                a.Write(Text);
            }

            using (var b = zip.CreateEntry("stored.txt", CompressionLevel.NoCompression).Open())
            {
                b.Write(Text);
            }
        }

        return output.ToArray();
    }

    [Fact]
    public void Read_GivesEachRecordInOrderWithWhereItsDataLies()
    {
        var zip = TwoMembers();

        var records = ZipDirectory.Read(zip);

        Assert.Equal([8, 0], records.Select(r => (int)r.Method));
        Assert.All(records, r => Assert.Equal(Text.Length, r.Size));
        Assert.Equal(Text.Length, records[1].CompressedSize);
        Assert.Equal(Text, zip.AsSpan((int)records[1].DataStart, (int)records[1].CompressedSize).ToArray());
        using var inflate = new DeflateStream(new MemoryStream(zip, (int)records[0].DataStart, (int)records[0].CompressedSize), CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        inflate.CopyTo(inflated);
        Assert.Equal(Text, inflated.ToArray());
        Assert.Equal(Crc32.Compute(Text), records[0].Crc);
    }

    [Fact]
    public void Read_WithoutAnEndRecord_GivesNothing() =>
        Assert.Empty(ZipDirectory.Read(TwoMembers().AsSpan(0, 100)));

    [Fact]
    public void Members_AreReadFromTheArchiveBytes_WhereTheDirectoryAgrees_AndThroughSharpCompressElsewhere()
    {
        var zip = TwoMembers();
        var broken = (byte[])zip.Clone();
        broken[(int)ZipDirectory.Read(zip)[0].LocalHeader] = (byte)'X'; // the first local header no longer where the record says

        Assert.Equal(["DeflateStream", "MemoryStream"], Streams(zip));
        // SharpCompress, given the first member, looks for its local header and fails as before; the second is unaffected.
        Assert.Equal(["ArchiveOperationException", "MemoryStream"], Streams(broken));
    }

    private static List<string> Streams(byte[] zip)
    {
        using var archive = SharpCompress.Archives.Zip.ZipArchive.OpenArchive(new MemoryStream(zip), new SharpCompress.Readers.ReaderOptions());
        using var source = EntrySource.ForArchive(archive, new ZipData(zip, ZipDirectory.Read(zip)), CancellationToken.None);
        var types = new List<string>();
        while (source.Next() is ({ } entry, _))
        {
            try
            {
                using var stream = source.Open((SharpCompress.Archives.IArchiveEntry)entry);
                types.Add(stream.GetType().Name);
            }
            catch (Exception e) when (e.GetType().Namespace == "SharpCompress.Common")
            {
                types.Add(e.GetType().Name);
            }
        }

        return types;
    }
}
