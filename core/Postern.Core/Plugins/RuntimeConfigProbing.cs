using System.Runtime.InteropServices;
using System.Text.Json;

namespace Postern.Core.Plugins;

/// <summary>
/// The extra folders a plugin's load context probes for assemblies it does not find beside its entry assembly, by the
/// rule McMaster's <c>PluginLoader</c> applies: <c>runtimeOptions.additionalProbingPaths</c> of the plugin's
/// <c>&lt;entry&gt;.runtimeconfig.json</c> and of every <c>*.runtimeconfig.json</c> beside the host, each followed by
/// its <c>.dev.json</c> twin (<c>|arch|</c> and <c>|tfm|</c> filled in; a path with <c>|tfm|</c> is skipped when no file
/// names a tfm); and, when the process is the <c>dotnet</c> muxer and a tfm is known, the runtime package store
/// <c>&lt;dotnet dir&gt;/store/&lt;arch&gt;/&lt;tfm&gt;</c>.
/// </summary>
/// <remarks>
/// Read with <see cref="JsonDocument"/> (the manifest parser loads it anyway) rather than reflection-based
/// <c>JsonSerializer</c>. A file that is missing, not valid JSON or of another shape adds nothing, as before, and
/// neither does its <c>.dev.json</c>. The builds of this repository name no probing paths at all.
/// </remarks>
internal static class RuntimeConfigProbing
{
    private const string Suffix = ".runtimeconfig.json";

    public static IReadOnlyList<string> Paths(string entryAssemblyPath, string hostDirectory, string? processPath)
    {
        var files = new List<string>
        {
            Path.Combine(Path.GetDirectoryName(entryAssemblyPath)!, Path.GetFileNameWithoutExtension(entryAssemblyPath) + Suffix),
        };
        try
        {
            files.AddRange(Directory.GetFiles(hostDirectory, "*" + Suffix));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The host's own folder unreadable: no host probing paths, as no files would be.
        }

        var arch = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
        var underDotnet = processPath is not null
            && string.Equals(Path.GetFileNameWithoutExtension(processPath), "dotnet", StringComparison.OrdinalIgnoreCase);
        var paths = new List<string>();
        foreach (var file in files)
        {
            if (Read(file) is not { } config)
            {
                continue;
            }

            var dev = Read(file[..^".json".Length] + ".dev.json");
            var tfm = config.Tfm ?? dev?.Tfm;
            foreach (var probe in config.Probes.Concat(dev?.Probes ?? []))
            {
                var path = probe.Replace("|arch|", arch, StringComparison.Ordinal);
                if (path.Contains("|tfm|", StringComparison.Ordinal))
                {
                    if (tfm is null)
                    {
                        continue;
                    }

                    path = path.Replace("|tfm|", tfm, StringComparison.Ordinal);
                }

                // McMaster's builder refuses a relative folder; PluginLoader swallowed that, so it is skipped here.
                if (Path.IsPathRooted(path))
                {
                    paths.Add(path);
                }
            }

            if (tfm is not null && underDotnet && Path.GetDirectoryName(processPath) is { Length: > 0 } dotnetHome)
            {
                paths.Add(Path.Combine(dotnetHome, "store", arch, tfm));
            }
        }

        return paths;
    }

    // Null when the file is missing or does not have the shape of a runtimeconfig (what JsonSerializer would refuse).
    private static RuntimeConfig? Read(string file)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (!root.TryGetProperty("runtimeOptions", out var options) || options.ValueKind == JsonValueKind.Null)
            {
                return new RuntimeConfig(null, []);
            }

            if (options.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            string? tfm = null;
            if (options.TryGetProperty("tfm", out var t) && t.ValueKind != JsonValueKind.Null)
            {
                if (t.ValueKind != JsonValueKind.String)
                {
                    return null;
                }

                tfm = t.GetString();
            }

            var probes = new List<string>();
            if (options.TryGetProperty("additionalProbingPaths", out var p) && p.ValueKind != JsonValueKind.Null)
            {
                if (p.ValueKind != JsonValueKind.Array)
                {
                    return null;
                }

                foreach (var e in p.EnumerateArray())
                {
                    if (e.ValueKind != JsonValueKind.String)
                    {
                        return null;
                    }

                    if (e.GetString() is { Length: > 0 } path)
                    {
                        probes.Add(path);
                    }
                }
            }

            return new RuntimeConfig(tfm, probes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private sealed record RuntimeConfig(string? Tfm, List<string> Probes);
}
