using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>
/// Reads database files and directories (one level, names in ordinal order, as <c>clamscan -d DIR</c> does) into
/// signatures and a <see cref="LoadReport"/>. A missing location or an unreadable file is an error; a line we
/// cannot honour is counted, never dropped silently.
/// </summary>
internal sealed class DatabaseLoader
{
    private readonly List<BodySignature> _bodies = [];
    private readonly List<HashSignature> _hashes = [];
    private readonly LoadReport _report = new();

    public static DatabaseContents Load(IEnumerable<string> locations, CancellationToken cancellationToken)
    {
        var loader = new DatabaseLoader();
        foreach (var location in locations)
        {
            foreach (var file in Expand(location))
            {
                cancellationToken.ThrowIfCancellationRequested();
                loader.LoadFile(file);
            }
        }

        return new DatabaseContents(loader._bodies, loader._hashes, loader._report);
    }

    private static IEnumerable<string> Expand(string location)
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

    private void LoadFile(string path)
    {
        var kind = DatabaseFileKinds.Classify(path, out var skipReason);
        if (kind == DatabaseFileKind.Skipped)
        {
            _report.AddSkippedFile(path, skipReason);
            return;
        }

        _report.AddFile(path);
        try
        {
            using var reader = new StreamReader(path, System.Text.Encoding.UTF8);
            var number = 0;
            while (reader.ReadLine() is { } line)
            {
                number++;
                ReadLine(path, number, line.TrimEnd('\r', ' ', '\t'), kind);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SignatureDatabaseException($"{path}: cannot read: {e.Message}", e);
        }
    }

    private void ReadLine(string path, int number, string line, DatabaseFileKind kind)
    {
        if (line.Length == 0 || line[0] == '#')
        {
            return;
        }

        LineOutcome outcome;
        LineIssue issue;
        if (kind == DatabaseFileKind.Body)
        {
            outcome = NdbLineParser.Parse(line, out var body, out issue);
            if (body is not null)
            {
                _bodies.Add(body);
                _report.AddBody();
            }
        }
        else
        {
            outcome = HashLineParser.Parse(line, out var hash, out issue);
            if (hash is not null)
            {
                _hashes.Add(hash);
                _report.AddHash();
            }
        }

        if (outcome == LineOutcome.Unsupported)
        {
            _report.AddUnsupported(path, number, issue);
        }
        else if (outcome == LineOutcome.OutsideFunctionalityLevel)
        {
            _report.AddOutsideFunctionalityLevel();
        }
    }
}
