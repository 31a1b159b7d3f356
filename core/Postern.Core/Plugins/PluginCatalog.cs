using Microsoft.Extensions.Logging;

namespace Postern.Core.Plugins;

/// <summary>
/// Finds plugin folders: every direct sub-folder of every root is one plugin, described by its <c>plugin.json</c>.
/// Reads manifests only; never loads code.
/// </summary>
/// <remarks>
/// Roots are searched in the order given and folders in ordinal name order, so the result is stable. When two folders
/// declare the same id, the first one found wins (a root listed earlier overrides a later one, as with PATH) and the
/// later one becomes a candidate with a problem, so an administrator sees both in <c>postern plugins list</c>.
/// </remarks>
internal sealed class PluginCatalog(ILogger logger)
{
    public IReadOnlyList<PluginCandidate> Discover(IEnumerable<string> roots)
    {
        var candidates = new List<PluginCandidate>();
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var root in roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))).Distinct(PathComparison.Comparer))
        {
            foreach (var directory in Folders(root))
            {
                var candidate = Read(directory);
                if (candidate.Manifest is { } manifest && !owners.TryAdd(manifest.Id, directory))
                {
                    candidate = candidate with
                    {
                        Problem = $"duplicate id '{manifest.Id}': already provided by {owners[manifest.Id]}",
                    };
                }

                candidates.Add(candidate);
            }
        }

        return candidates;
    }

    private IEnumerable<string> Folders(string root)
    {
        try
        {
            var folders = Directory.GetDirectories(root);
            Array.Sort(folders, StringComparer.Ordinal);
            PluginHostLog.RootScanned(logger, root, folders.Length);
            return folders;
        }
        catch (DirectoryNotFoundException)
        {
            PluginHostLog.RootMissing(logger, root, "it does not exist");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            PluginHostLog.RootMissing(logger, root, ex.Message);
        }

        return [];
    }

    private static PluginCandidate Read(string directory)
    {
        var path = Path.Combine(directory, PluginManifest.FileName);
        byte[] bytes;
        try
        {
            if (!File.Exists(path))
            {
                return new PluginCandidate(directory, null, $"no {PluginManifest.FileName} in the folder");
            }

            if (new FileInfo(path).Length > PluginManifestParser.MaxBytes)
            {
                return new PluginCandidate(directory, null, $"{PluginManifest.FileName}: larger than {PluginManifestParser.MaxBytes} bytes");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new PluginCandidate(directory, null, $"{PluginManifest.FileName}: cannot be read: {ex.Message}");
        }

        return PluginManifestParser.TryParse(bytes, out var manifest, out var error)
            ? new PluginCandidate(directory, manifest, null)
            : new PluginCandidate(directory, null, error);
    }
}
