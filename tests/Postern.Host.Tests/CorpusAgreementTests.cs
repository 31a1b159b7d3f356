using System.Diagnostics;

namespace Postern.Host.Tests;

/// <summary>
/// The benchmark kit's own truth: a gen_corpus.py set (ClamAV-format database, mail with planted infections) scanned
/// by `postern scan` must satisfy agree.py: every planted infection found under its name, no false positive, every
/// message reported.
/// </summary>
public sealed class CorpusAgreementTests
{
    private static string Kit => Path.GetFullPath(Path.Combine(Cli.RepoRoot, "..", "shared", "bench"));

    [Fact]
    public async Task Scan_GeneratedCorpus_AgreesWithTruth()
    {
        Assert.True(File.Exists(Path.Combine(Kit, "gen_corpus.py")), $"benchmark kit not found at {Kit}");
        var set = TestFiles.TempDir();
        await RunAsync("python3", [Path.Combine(Kit, "gen_corpus.py"), "--out", set, "--seed", "3", "--messages", "160",
            "--body-sigs", "3000", "--hash-sigs", "6000", "--infected-ratio", "0.25"]);

        var r = await Cli.RunAsync(["scan", "--no-summary", "-d", Path.Combine(set, "db"), "-r", Path.Combine(set, "mail")], timeoutSeconds: 300);
        var report = Path.Combine(set, "report");
        await File.WriteAllTextAsync(report, r.Stdout, TestContext.Current.CancellationToken);
        var agree = await RunAsync("python3", [Path.Combine(Kit, "agree.py"), Path.Combine(set, "truth.tsv"), report], check: false);

        Assert.True(agree.Code == 0, agree.Output + "\n" + r.Stderr);
        Assert.Equal(1, r.ExitCode);
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args, bool check = true)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync(TestContext.Current.CancellationToken);
        var text = await output + await error;
        Assert.True(!check || p.ExitCode == 0, $"{file} {string.Join(' ', args)} failed:\n{text}");
        return (p.ExitCode, text);
    }
}
