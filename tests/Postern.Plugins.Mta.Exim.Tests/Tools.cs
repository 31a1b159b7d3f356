using Postern.Testing;

namespace Postern.Plugins.Mta.Exim.Tests;

/// <summary>Paths of the real parts and a process runner.</summary>
internal static class Tools
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Postern => Path.Combine(RepoRoot, "artifacts", "postern", "postern");

    public static string EximPrefix => Path.Combine(RepoRoot, "artifacts", "mta", "exim");

    public static string Exim => Require(Path.Combine(EximPrefix, "usr", "sbin", "exim4"));

    public static string UpdateExim4Conf => Require(Path.Combine(EximPrefix, "usr", "sbin", "update-exim4.conf"));

    public static string DebianConfig => Require(Path.Combine(EximPrefix, "etc", "exim4"));

    private static string Require(string path) =>
        File.Exists(path) || Directory.Exists(path) ? path
        : throw new InvalidOperationException($"{path} is missing: scripts/deps/30-exim.sh unpacks Debian's exim4-daemon-heavy there (./test.sh runs it)");

    public static async Task<(int Code, string Output)> RunAsync(string program, IEnumerable<string> args, int timeoutSeconds = 120)
    {
        var r = await ProcessRunner.RunAsync(program, args, TimeSpan.FromSeconds(timeoutSeconds), workDir: RepoRoot);
        return (r.ExitCode, r.Stdout + r.Stderr);
    }

    public static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var d in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, d)));
        }

        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(f, Path.Combine(to, Path.GetRelativePath(from, f)));
        }
    }

    public static Dictionary<string, byte[]> Snapshot(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllBytes);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "postern.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
