using System.Diagnostics.CodeAnalysis;

namespace Postern.Core.Plugins;

/// <summary>
/// Turns a manifest's <c>entryAssembly</c> into a real path inside the plugin's folder, or refuses it. A plugin may only
/// run code it ships in its own folder: no absolute paths, no <c>..</c>, no symbolic link that leads out.
/// </summary>
internal static class EntryAssemblyPath
{
    public static bool TryResolve(
        string pluginDirectory,
        string entryAssembly,
        [NotNullWhen(true)] out string? path,
        [NotNullWhen(false)] out string? error)
    {
        path = null;
        var refused = $"{PluginManifest.FileName}: entryAssembly '{entryAssembly}'";
        if (Path.IsPathRooted(entryAssembly) || entryAssembly.StartsWith('~'))
        {
            error = $"{refused} is an absolute path; it must be relative to the plugin folder";
            return false;
        }

        var folder = RealDirectory(pluginDirectory);
        var lexical = Path.GetFullPath(Path.Combine(folder, entryAssembly));
        if (!PathComparison.IsInside(lexical, folder))
        {
            error = $"{refused} resolves outside the plugin folder";
            return false;
        }

        var segments = entryAssembly.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries);
        if (segments.Contains("..", StringComparer.Ordinal))
        {
            error = $"{refused} must not contain '..'";
            return false;
        }

        return TryFollowLinks(folder, segments, refused, out path, out error);
    }

    // Walks the path one segment at a time so a link anywhere (a folder or the file itself) is seen and judged.
    private static bool TryFollowLinks(
        string folder, string[] segments, string refused, [NotNullWhen(true)] out string? path, [NotNullWhen(false)] out string? error)
    {
        var current = folder;
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i] == ".")
            {
                continue;
            }

            var next = Path.Combine(current, segments[i]);
            FileSystemInfo entry = i == segments.Length - 1 ? new FileInfo(next) : new DirectoryInfo(next);
            if (entry.LinkTarget is not null)
            {
                var target = FinalTarget(entry);
                if (target is null || !PathComparison.IsInside(Path.GetFullPath(target), folder))
                {
                    path = null;
                    error = $"{refused} is a symbolic link that leads outside the plugin folder";
                    return false;
                }

                next = Path.GetFullPath(target);
            }

            current = next;
        }

        path = current;
        error = null;
        return true;
    }

    private static string? FinalTarget(FileSystemInfo link)
    {
        try
        {
            return link.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        }
        catch (IOException)
        {
            // A link loop: no target, so refused like any link that leads nowhere safe.
            return null;
        }
    }

    // The plugin folder itself may be a link (an administrator's choice); what counts is where it really is.
    private static string RealDirectory(string directory)
    {
        var full = Path.GetFullPath(directory);
        var target = new DirectoryInfo(full).ResolveLinkTarget(returnFinalTarget: true);
        return Path.TrimEndingDirectorySeparator(target is null ? full : Path.GetFullPath(target.FullName));
    }
}
