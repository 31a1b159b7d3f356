namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>Turns a configured location into the files it stands for.</summary>
internal static class DatabaseFiles
{
    /// <summary>A file stands for itself; a directory for its files (one level, ordinal order, as clamscan reads).</summary>
    public static IEnumerable<string> Expand(string location)
    {
        var path = Path.GetFullPath(location);
        if (File.Exists(path))
        {
            return [path];
        }

        if (!Directory.Exists(path))
        {
            throw new SignatureDatabaseException($"{path}: no such file or directory");
        }

        try
        {
            var files = Directory.GetFiles(path);
            Array.Sort(files, StringComparer.Ordinal);
            return files;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SignatureDatabaseException($"{path}: cannot list the directory: {e.Message}", e);
        }
    }
}
