using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>
/// Reads database files, directories (one level, names in ordinal order, as <c>clamscan -d DIR</c> does) and
/// containers into signatures and a <see cref="LoadReport"/>. Ignore lists are read before anything else. A
/// missing location or an unreadable file is an error; a line we cannot honour is counted, never dropped silently.
/// </summary>
internal sealed class DatabaseLoader
{
    private readonly BodyStore _bodies = new();
    private readonly HashStore _hashes = new();
    private readonly List<LogicalSignature> _logicals = [];
    private readonly HashStore _allowed = new();
    private readonly IgnoreList _ignores = new();
    private readonly LoadReport _report = new();
    private readonly CancellationToken _cancellationToken;

    private DatabaseLoader(CancellationToken cancellationToken) => _cancellationToken = cancellationToken;

    public static DatabaseContents Load(IEnumerable<string> locations, CancellationToken cancellationToken)
    {
        var loader = new DatabaseLoader(cancellationToken);
        var files = locations.SelectMany(DatabaseFiles.Expand).ToList();

        // Ignores first, so that a pinned ignore (Name:MD5) can be checked against the line as it is read.
        var ignoresFirst = files.OrderBy(f => DatabaseFileKinds.Classify(f, out _) == DatabaseFileKind.IgnoreList ? 0 : 1);
        foreach (var file in ignoresFirst)
        {
            cancellationToken.ThrowIfCancellationRequested();
            loader.LoadFile(file);
        }

        return loader.Finish();
    }

    private DatabaseContents Finish()
    {
        if (!_ignores.IsEmpty)
        {
            // Ignores read from inside a container may come after the lines they name.
            _report.AddIgnored(_bodies.RemoveWhere(_ignores.IgnoresName)
                + _hashes.RemoveWhere(_ignores.IgnoresName)
                + _logicals.RemoveAll(s => _ignores.IgnoresName(s.Name)));
        }

        _report.SetCounts(_bodies.Count, _hashes.Count, _logicals.Count, _allowed.Count);
        return new DatabaseContents(_bodies, _hashes, _logicals, _allowed, _report);
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
            if (kind == DatabaseFileKind.Container)
            {
                var header = ContainerReader.Read(path, (name, data) => LoadMember(path, name, data), _cancellationToken);
                _report.AddVersion($"{Path.GetFileNameWithoutExtension(path)} {header.Version}");
                return;
            }

            using var reader = new StreamReader(path, System.Text.Encoding.UTF8);
            ReadLines(path, reader, kind);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException)
        {
            throw new SignatureDatabaseException($"{path}: cannot read: {e.Message}", e);
        }
    }

    private void LoadMember(string container, string name, Stream data)
    {
        var label = $"{container}/{name}";
        var kind = DatabaseFileKinds.Classify(name, out var skipReason);
        if (kind is DatabaseFileKind.Skipped or DatabaseFileKind.Container)
        {
            _report.AddSkippedMember(label, kind == DatabaseFileKind.Container ? "nested container" : skipReason);
            return;
        }

        using var reader = new StreamReader(data, System.Text.Encoding.UTF8, leaveOpen: true);
        ReadLines(label, reader, kind);
    }

    private void ReadLines(string label, TextReader reader, DatabaseFileKind kind)
    {
        var lines = new LineSink(this, label, kind);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            lines.Read(number, line.TrimEnd('\r', ' ', '\t'));
        }
    }

    /// <summary>Turns the lines of one file or member into signatures of its kind.</summary>
    private readonly struct LineSink(DatabaseLoader loader, string label, DatabaseFileKind kind)
    {
        public void Read(int number, string line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                return;
            }

            var (outcome, issue) = kind switch
            {
                DatabaseFileKind.Body => AddBody(line),
                DatabaseFileKind.Hash => AddHash(line, loader._hashes, checkIgnores: true),
                DatabaseFileKind.Logical => Add(LdbLineParser.Parse(line, out var logical, out var i), logical, s => s.Name, loader._logicals, line, i),
                DatabaseFileKind.AllowList => AddHash(line, loader._allowed, checkIgnores: false),
                _ => loader._ignores.TryAdd(line, out var i) ? (LineOutcome.Signature, i) : (LineOutcome.Unsupported, i),
            };
            if (outcome == LineOutcome.Unsupported)
            {
                loader._report.AddUnsupported(label, number, issue);
            }
            else if (outcome == LineOutcome.OutsideFunctionalityLevel)
            {
                loader._report.AddOutsideFunctionalityLevel();
            }
        }

        private (LineOutcome, LineIssue) AddBody(string line)
        {
            var ignores = loader._ignores;
            var outcome = NdbLineParser.ParseInto(line, loader._bodies, ignores.IsEmpty ? null : name => ignores.Ignores(name, line),
                out var ignored, out var issue);
            if (ignored)
            {
                loader._report.AddIgnored(1);
            }

            return (outcome, issue);
        }

        private (LineOutcome, LineIssue) AddHash(string line, HashStore into, bool checkIgnores)
        {
            var ignores = loader._ignores;
            var outcome = HashLineParser.ParseInto(line, into, checkIgnores && !ignores.IsEmpty ? name => ignores.Ignores(name, line) : null,
                out var ignored, out var issue);
            if (ignored)
            {
                loader._report.AddIgnored(1);
            }

            return (outcome, issue);
        }

        private (LineOutcome, LineIssue) Add<T>(LineOutcome outcome, T? signature, Func<T, string> name, List<T> into, string line, LineIssue issue)
            where T : class
        {
            if (signature is not null)
            {
                if (loader._ignores.IsEmpty || !loader._ignores.Ignores(name(signature), line))
                {
                    into.Add(signature);
                }
                else
                {
                    loader._report.AddIgnored(1);
                }
            }

            return (outcome, issue);
        }
    }
}
