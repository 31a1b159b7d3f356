using System.IO.Compression;
using System.Text;
using Postern.Extraction.Tests.Support;
using Postern.Sdk.Scanning;

namespace Postern.Extraction.Tests;

public sealed class ArchiveTests
{
    private static readonly byte[] Inner = Payloads.Marker("archive");

    public static TheoryData<string> Formats => ["zip-stored", "zip-deflated", "gzip", "bzip2", "tar", "tar.gz", "rar"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Walk_ArchiveBuiltAtTestTime_MemberComesOutExactly(string format)
    {
        var input = format switch
        {
            "zip-stored" => TestArchives.Zip(CompressionLevel.NoCompression, ("a/inner.txt", Inner)),
            "zip-deflated" => TestArchives.Zip(CompressionLevel.Optimal, ("a/inner.txt", Inner)),
            "gzip" => TestArchives.GZip(Inner),
            "bzip2" => TestArchives.BZip2(Inner),
            "tar" => TestArchives.Tar(("a/inner.txt", Inner)),
            "tar.gz" => TestArchives.GZip(TestArchives.Tar(("a/inner.txt", Inner))),
            _ => RarWriter.Stored(("inner.txt", Inner)),
        };

        var result = WalkResult.Run(input, isMessage: false);

        Assert.Contains(result.Items, i => i.Kind is ScanItemKind.ArchiveMember or ScanItemKind.Decompressed
            && i.Content.AsSpan().SequenceEqual(Inner));
        Assert.Empty(result.Reasons);
    }

    [Theory]
    [InlineData("sample.7z", "MARKER-7z", "inside7z.txt")]
    [InlineData("sample.xz", "MARKER-xz", "(unxz)")]
    public void Walk_CommittedFixture_MemberComesOut(string fixture, string marker, string path)
    {
        var result = WalkResult.Run(Payloads.Fixture(fixture), isMessage: false);

        Assert.Equal(path, result.WithMarker(marker)?.Path);
    }

    [Fact]
    public void Walk_ZipMember_PathAndNameAreTheStoredName()
    {
        var result = WalkResult.Run(TestArchives.Zip(CompressionLevel.Optimal, ("dir/x.txt", Inner)), isMessage: false);

        var member = Assert.Single(result.Items, i => i.Kind == ScanItemKind.ArchiveMember);
        Assert.Equal(("dir/x.txt", "dir/x.txt", 1), (member.Path, member.FileName, member.Depth));
    }

    [Theory]
    [InlineData("encrypted.zip", "secret.txt: encrypted")]
    [InlineData("encrypted.7z", ".: encrypted")]
    public void Walk_EncryptedArchive_ReasonIsEncrypted(string fixture, string reason)
    {
        var result = WalkResult.Run(Payloads.Fixture(fixture), isMessage: false);

        Assert.Contains(reason, result.Reasons);
        Assert.Null(result.WithMarker("MARKER-encrypted"));
    }

    [Fact]
    public void Walk_TruncatedZip_GivesCorruptReasonAndNeverThrows()
    {
        var zip = TestArchives.Zip(CompressionLevel.Optimal, ("a.txt", Inner), ("b.txt", Payloads.Marker("second")));

        var result = WalkResult.Run(zip[..(zip.Length * 2 / 3)], isMessage: false);

        Assert.Contains(result.Reasons, r => r.StartsWith(".: corrupt: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Walk_ZipWithJunkInFront_IsStillOpened()
    {
        var zip = TestArchives.Zip(CompressionLevel.Optimal, ("a.txt", Inner));
        var prefixed = Encoding.ASCII.GetBytes("MZ pretend this is a self-extractor stub\n").Concat(zip).ToArray();

        var result = WalkResult.Run(prefixed, isMessage: false);

        Assert.NotNull(result.WithMarker("MARKER-archive"));
    }

    [Fact]
    public void Walk_RandomGarbageAfterZipMagic_IsCorruptNotACrash()
    {
        var random = new Random(7);
        for (var round = 0; round < 200; round++)
        {
            var zip = TestArchives.Zip(CompressionLevel.Optimal, ("a.txt", Inner), ("b.bin", new byte[300]));
            for (var flips = 0; flips < 8; flips++)
            {
                zip[4 + random.Next(zip.Length - 4)] = (byte)random.Next(256);
            }

            var result = WalkResult.Run(zip, isMessage: false);

            Assert.Equal(zip, result.Items[0].Content);
        }
    }

    [Fact]
    public void Walk_TnefBlob_AttachmentsComeOutNamed()
    {
        var tnef = TnefWriter.Build(("report.doc", Payloads.Marker("tnef1")), ("b.exe", Payloads.Marker("tnef2")));

        var result = WalkResult.Run(tnef, isMessage: false);

        Assert.Equal((ScanItemKind.TnefAttachment, "tnef[report.doc]"),
            (result.WithMarker("MARKER-tnef1")?.Kind, result.WithMarker("MARKER-tnef1")?.Path));
        Assert.Equal("tnef#2[b.exe]", result.WithMarker("MARKER-tnef2")?.Path);
    }

    [Fact]
    public void Walk_WinmailDatInMessage_ZipInsideTnefIsOpened()
    {
        var tnef = TnefWriter.Build(("a.zip", TestArchives.Zip(CompressionLevel.Optimal, ("x.txt", Inner))));
        var message = Payloads.Headers("multipart/mixed; boundary=b") + "\n--b\nContent-Type: application/ms-tnef\n"
            + "Content-Disposition: attachment; filename=winmail.dat\nContent-Transfer-Encoding: base64\n\n"
            + Payloads.Base64Lines(tnef) + "--b--\n";

        var item = WalkResult.Run(Encoding.ASCII.GetBytes(message)).WithMarker("MARKER-archive");

        Assert.Equal("part1[winmail.dat]/tnef[a.zip]/x.txt", item?.Path);
        Assert.Equal(3, item?.Depth);
    }

    [Fact]
    public void GZip_SizeHint_IsTheTrailerSize_NotFourTimesTheInput()
    {
        var payload = new byte[3_000_000];
        new Random(5).NextBytes(payload);
        var gz = TestArchives.GZip(payload);

        Assert.Equal(payload.Length, Postern.Extraction.Archives.StreamExpander.SizeHint(gz, Postern.Extraction.ContainerFormat.GZip));
        // A trailer that cannot be right (a far smaller size than the input) falls back to the general guess.
        gz.AsSpan(gz.Length - 4).Clear();
        Assert.Equal(gz.Length * 4L, Postern.Extraction.Archives.StreamExpander.SizeHint(gz, Postern.Extraction.ContainerFormat.GZip));
    }
}
