using System.Text;

namespace Postern.Host.Tests;

public sealed class ScanVerbTests
{
    [Fact]
    public async Task Scan_EicarFile_IsFoundWithClamscanLineAndExit1()
    {
        var dir = TestFiles.TempDir();
        var path = Path.Combine(dir, "eicar.com");
        await File.WriteAllBytesAsync(path, TestFiles.Eicar, TestContext.Current.CancellationToken);

        var r = await Cli.RunAsync(["scan", path]);

        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Equal($"{path}: Eicar-Test-Signature FOUND", r.Lines[0]);
        Assert.Contains("----------- SCAN SUMMARY -----------", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("Infected files: 1", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_CleanFileAndMissingFile_OkThenErrorAndExit2()
    {
        var dir = TestFiles.TempDir();
        var clean = Path.Combine(dir, "clean.txt");
        await File.WriteAllTextAsync(clean, "nothing to see\n", TestContext.Current.CancellationToken);
        var missing = Path.Combine(dir, "missing.txt");

        var r = await Cli.RunAsync(["scan", "--no-summary", clean, missing]);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Equal([$"{clean}: OK", $"{missing}: No such file or directory ERROR"], r.Lines);
    }

    [Fact]
    public async Task Scan_Stdin_ReportsAsStdin()
    {
        var r = await Cli.RunAsync(["scan", "--no-summary", "-"], stdin: TestFiles.Eicar);

        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Equal("stdin: Eicar-Test-Signature FOUND", Assert.Single(r.Lines));
    }

    [Fact]
    public async Task Scan_EicarInZipInBase64PartOfForwardedMessage_IsFound()
    {
        var inner = TestFiles.MessageWithAttachment("invoice", "invoice.zip", TestFiles.Zip("invoice.com", TestFiles.Eicar));
        var dir = TestFiles.TempDir();
        var path = Path.Combine(dir, "fwd.eml");
        await File.WriteAllTextAsync(path, TestFiles.Forwarded(inner), TestContext.Current.CancellationToken);

        var r = await Cli.RunAsync(["scan", "--no-summary", path]);

        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Equal($"{path}: Eicar-Test-Signature FOUND", Assert.Single(r.Lines));
    }

    [Fact]
    public async Task Scan_ZipBomb_IsNotScannedNeverOk()
    {
        var dir = TestFiles.TempDir();
        var path = Path.Combine(dir, "bomb.eml");
        var bomb = TestFiles.ZeroBomb(2L << 30);
        await File.WriteAllTextAsync(path, TestFiles.MessageWithAttachment("bomb", "bomb.zip", bomb), TestContext.Current.CancellationToken);

        var r = await Cli.RunAsync(["scan", "--no-summary", path], timeoutSeconds: 60);

        Assert.True(r.ExitCode == 2, r.ToString());
        var line = Assert.Single(r.Lines);
        Assert.StartsWith($"{path}: Not scanned (", line, StringComparison.Ordinal);
        Assert.EndsWith(") ERROR", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_RecursiveInfectedOnlyWithJobs_PrintsOnlyHitsInPathOrder()
    {
        var dir = TestFiles.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "a", "b"));
        for (var i = 0; i < 30; i++)
        {
            var content = i % 7 == 3 ? TestFiles.Eicar : Encoding.ASCII.GetBytes($"clean file {i}\n");
            await File.WriteAllBytesAsync(Path.Combine(dir, i % 2 == 0 ? "a" : Path.Combine("a", "b"), $"f{i:D2}"), content, TestContext.Current.CancellationToken);
        }

        var flat = await Cli.RunAsync(["scan", "--no-summary", Path.Combine(dir, "a")]);
        var deep = await Cli.RunAsync(["scan", "--no-summary", "-r", "-i", "-j", "4", dir]);

        Assert.Equal(15, flat.Lines.Length);
        Assert.True(deep.ExitCode == 1, deep.ToString());
        var expected = new[] { 3, 10, 17, 24 }.Select(i => Path.Combine(dir, i % 2 == 0 ? "a" : Path.Combine("a", "b"), $"f{i:D2}"))
            .OrderBy(p => Path.GetDirectoryName(p)!.Length).ThenBy(p => p, StringComparer.Ordinal).Select(p => $"{p}: Eicar-Test-Signature FOUND");
        Assert.Equal(expected, deep.Lines);
    }

    [Fact]
    public async Task Scan_SampleMail_FindsTheProjectTestSignature()
    {
        var r = await Cli.RunAsync(["scan", "--no-summary", "-r", "samples/mail"]);

        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Equal(
            ["samples/mail/01-clean.eml: OK",
             "samples/mail/02-zipped-test-signature.eml: Postern.Test.Body FOUND",
             "samples/mail/03-forwarded-test-signature.eml: Postern.Test.Body FOUND"],
            r.Lines);
    }
}
