using System.Diagnostics;

namespace Postern.Plugins.Engine.Signatures.Tests.Support;

/// <summary>Runs the reference scanner once over many files and reads back what it found per file.</summary>
internal static class ClamScan
{
    public const string Executable = "/usr/bin/clamscan";

    private const string FoundSuffix = " FOUND";

    /// <summary>ClamAV appends this to names from databases it does not ship.</summary>
    private const string UnofficialSuffix = ".UNOFFICIAL";

    public static async Task<Dictionary<string, HashSet<string>>> ScanAsync(
        string databaseDirectory, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        Assert.True(File.Exists(Executable),
            $"{Executable} is missing: the differential test needs ClamAV's clamscan (Debian package clamav; test.sh installs it).");
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["--no-summary", "--allmatch", "-d", databaseDirectory, .. files])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var stderr = await errors;

        // 0: nothing found, 1: something found, 2: an error, such as a database clamscan refused.
        Assert.True(process.ExitCode is 0 or 1, $"clamscan exited with {process.ExitCode}: {stderr}");
        return Parse(await output, files);
    }

    private static Dictionary<string, HashSet<string>> Parse(string output, IReadOnlyList<string> files)
    {
        var found = files.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal));
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.EndsWith(FoundSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            var separator = line.LastIndexOf(": ", StringComparison.Ordinal);
            var name = line[(separator + 2)..^FoundSuffix.Length];
            if (name.EndsWith(UnofficialSuffix, StringComparison.Ordinal))
            {
                name = name[..^UnofficialSuffix.Length];
            }

            found[line[..separator]].Add(name);
        }

        return found;
    }
}
