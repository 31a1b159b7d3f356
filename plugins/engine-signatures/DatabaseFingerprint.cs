using Postern.Plugins.Engine.Signatures.Loading;

namespace Postern.Plugins.Engine.Signatures;

/// <summary>
/// What the database files looked like before a load: every file's path, size and modification time. Equal
/// fingerprints mean nothing changed, so a reload can be skipped without reading a byte of the files.
/// </summary>
internal sealed class DatabaseFingerprint : IEquatable<DatabaseFingerprint>
{
    private readonly (string Path, long Length, long Ticks)[] _files;

    private DatabaseFingerprint((string, long, long)[] files) => _files = files;

    /// <summary>Takes the fingerprint; a missing location throws as a load would.</summary>
    public static DatabaseFingerprint Take(IEnumerable<string> locations)
    {
        var files = new List<(string, long, long)>();
        foreach (var path in locations.SelectMany(DatabaseFiles.Expand))
        {
            var info = new FileInfo(path);
            files.Add(info.Exists ? (path, info.Length, info.LastWriteTimeUtc.Ticks) : (path, -1, 0));
        }

        return new DatabaseFingerprint([.. files]);
    }

    public bool Equals(DatabaseFingerprint? other) => other is not null && _files.AsSpan().SequenceEqual(other._files);

    public override bool Equals(object? obj) => Equals(obj as DatabaseFingerprint);

    public override int GetHashCode() => _files.Length;
}
