namespace Postern.Host.FileScan;

/// <summary>
/// Expands the command line into files the way clamscan does: a directory's files are scanned, its
/// subdirectories only with -r; symbolic links are followed when named on the command line, not when met while
/// recursing (clamscan's --follow-*-symlinks=1 default).
/// </summary>
internal static class FileEnumerator
{
    public static IEnumerable<(string Path, string? Error)> Expand(IEnumerable<string> paths, bool recursive, Action onDirectory)
    {
        foreach (var path in paths)
        {
            if (path == "-" || File.Exists(path))
            {
                yield return (path, null);
            }
            else if (Directory.Exists(path))
            {
                foreach (var f in Walk(path, recursive, onDirectory))
                {
                    yield return f;
                }
            }
            else
            {
                yield return (path, "No such file or directory");
            }
        }
    }

    private static IEnumerable<(string, string?)> Walk(string root, bool recursive, Action onDirectory)
    {
        var pending = new Stack<string>();
        pending.Push(root.Length > 1 ? root.TrimEnd('/') : root);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            onDirectory();
            string[] entries;
            try
            {
                entries = Directory.GetFileSystemEntries(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                entries = [];
            }

            if (entries.Length == 0 && !CanList(dir))
            {
                yield return (dir, "Can't open directory");
                continue;
            }

            Array.Sort(entries, StringComparer.Ordinal);
            var subdirs = new List<string>();
            foreach (var entry in entries)
            {
                var info = new FileInfo(entry);
                if (info.LinkTarget is not null)
                {
                    continue;
                }

                if ((info.Attributes & FileAttributes.Directory) != 0)
                {
                    subdirs.Add(entry);
                }
                else
                {
                    yield return (entry, null);
                }
            }

            if (recursive)
            {
                for (var i = subdirs.Count - 1; i >= 0; i--)
                {
                    pending.Push(subdirs[i]);
                }
            }
        }
    }

    private static bool CanList(string dir)
    {
        try
        {
            _ = Directory.EnumerateFileSystemEntries(dir).Any();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
