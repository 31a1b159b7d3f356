using System.IO.Compression;
using Postern.Host.Serve;

namespace Postern.Host.Tests;

public sealed class WarmUpTests
{
    [Fact]
    public void Sample_WalksMultipartQuotedPrintableBase64ZipGzipTarAndAForwardedMessage()
    {
        var sample = System.Text.Encoding.ASCII.GetString(WarmUp.Sample());

        Assert.Contains("Content-Transfer-Encoding: quoted-printable", sample, StringComparison.Ordinal);
        Assert.Equal(6, sample.Split("\r\n--=warm\r\n").Length - 1);
        var zipBase64 = sample.Split("filename=\"notes.zip\"\r\n\r\n")[1].Split("--=warm")[0];
        using var zip = new ZipArchive(new MemoryStream(Convert.FromBase64String(zipBase64)));
        Assert.Equal(["notes/readme.txt", "notes/readme.txt.gz"], zip.Entries.Select(e => e.FullName));
        var tarBase64 = sample.Split("name=\"backup.tar.gz\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")[1].Split("--=warm")[0];
        using var tar = new System.Formats.Tar.TarReader(new GZipStream(new MemoryStream(Convert.FromBase64String(tarBase64)), CompressionMode.Decompress));
        Assert.Equal("backup/readme.txt", tar.GetNextEntry()?.Name);
        Assert.Contains("Content-Type: message/rfc822\r\n", sample, StringComparison.Ordinal);
        Assert.Contains("\r\n--=fwd\r\nContent-Type: application/octet-stream", sample, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sample_HoldsTheEicarStringOneCharacterShortOfAFinding_AndTheInfectedCopyTheStringItself()
    {
        // The near miss makes the warm-up verify a prefilter hit; the infected copy (the last of the warm-up's) differs
        // by that last character alone and is found, so the hit is the built-in EICAR signature's and only
        // verification turns the near miss down.
        var dir = TestFiles.TempDir();
        var near = Path.Combine(dir, "near.eml");
        var real = Path.Combine(dir, "real.eml");
        var sample = System.Text.Encoding.ASCII.GetString(WarmUp.Sample());
        Assert.Contains("TEST-FILE!$H+H#", sample, StringComparison.Ordinal);
        Assert.Equal(sample.Replace("TEST-FILE!$H+H#", "TEST-FILE!$H+H*", StringComparison.Ordinal),
            System.Text.Encoding.ASCII.GetString(WarmUp.Sample(infected: true)));
        await File.WriteAllBytesAsync(near, WarmUp.Sample(), TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(real, WarmUp.Sample(infected: true), TestContext.Current.CancellationToken);

        var r = await Cli.RunAsync(["scan", "--no-summary", near, real]);

        Assert.Contains($"{near}: OK", r.Lines);
        Assert.Contains(r.Lines, l => l.StartsWith($"{real}", StringComparison.Ordinal) && l.Contains("FOUND", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sample_ScansCleanWithNothingLeftUnscanned()
    {
        var dir = TestFiles.TempDir();
        var path = Path.Combine(dir, "warm-up.eml");
        await File.WriteAllBytesAsync(path, WarmUp.Sample(), TestContext.Current.CancellationToken);

        var r = await Cli.RunAsync(["scan", "--no-summary", path]);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal([$"{path}: OK"], r.Lines);
    }
}
