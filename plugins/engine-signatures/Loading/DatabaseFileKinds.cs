namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>Tells database files apart by extension, as ClamAV does.</summary>
internal static class DatabaseFileKinds
{
    public static DatabaseFileKind Classify(string path, out string skipReason)
    {
        skipReason = string.Empty;
        var extension = Path.GetExtension(path).ToLowerInvariant();
        switch (extension)
        {
            case ".ndb":
                return DatabaseFileKind.Body;
            case ".hdb" or ".hsb":
                return DatabaseFileKind.Hash;
            case ".ldb":
                return DatabaseFileKind.Logical;
            case ".fp" or ".sfp":
                return DatabaseFileKind.AllowList;
            case ".ign" or ".ign2":
                return DatabaseFileKind.IgnoreList;
            case ".cvd" or ".cld" or ".cud":
                return DatabaseFileKind.Container;
            case ".ndu" or ".hdu" or ".hsu" or ".ldu" or ".mdu" or ".msu":
                skipReason = "PUA database, which ClamAV too loads only on request";
                return DatabaseFileKind.Skipped;
            default:
                skipReason = extension.Length == 0 ? "no extension" : $"{extension} files are not read";
                return DatabaseFileKind.Skipped;
        }
    }
}
