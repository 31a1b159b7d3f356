using System.IO.Compression;
using Postern.Host.Serve;

namespace Postern.Host.Tests;

public sealed class WarmUpTests
{
    [Fact]
    public void Sample_WalksMultipartQuotedPrintableBase64ZipAndGzip()
    {
        var sample = System.Text.Encoding.ASCII.GetString(WarmUp.Sample());

        Assert.Contains("Content-Transfer-Encoding: quoted-printable", sample, StringComparison.Ordinal);
        Assert.Equal(4, sample.Split("\r\n--=warm\r\n").Length - 1);
        var zipBase64 = sample.Split("filename=\"notes.zip\"\r\n\r\n")[1].Split("--=warm")[0];
        using var zip = new ZipArchive(new MemoryStream(Convert.FromBase64String(zipBase64)));
        Assert.Equal(["notes/readme.txt", "notes/readme.txt.gz"], zip.Entries.Select(e => e.FullName));
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
