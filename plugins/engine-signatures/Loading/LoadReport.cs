using System.Text;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>
/// What a load read, kept, left out and could not honour. Filled by <see cref="DatabaseLoader"/> only, then
/// read-only for the life of the compiled database that carries it.
/// </summary>
internal sealed class LoadReport
{
    /// <summary>How many unsupported lines are named with their file and line; the rest are only counted.</summary>
    public const int ExampleLimit = 5;

    private readonly List<string> _files = [];
    private readonly List<string> _skippedFiles = [];
    private readonly SortedDictionary<string, int> _unsupportedByKind = new(StringComparer.Ordinal);
    private readonly List<string> _examples = [];

    public IReadOnlyList<string> Files => _files;

    /// <summary>Files of kinds this engine does not read (.ldb, .cvd, .fp, ...), with why.</summary>
    public IReadOnlyList<string> SkippedFiles => _skippedFiles;

    public IReadOnlyDictionary<string, int> UnsupportedByKind => _unsupportedByKind;

    /// <summary>The first <see cref="ExampleLimit"/> unsupported lines as <c>file:line: kind: detail</c>.</summary>
    public IReadOnlyList<string> Examples => _examples;

    public int BodySignatures { get; private set; }

    public int HashSignatures { get; private set; }

    public int OutsideFunctionalityLevel { get; private set; }

    public int UnsupportedLines { get; private set; }

    public int Signatures => BodySignatures + HashSignatures;

    public void AddFile(string path) => _files.Add(path);

    public void AddSkippedFile(string path, string reason) => _skippedFiles.Add($"{path} ({reason})");

    public void AddBody() => BodySignatures++;

    public void AddHash() => HashSignatures++;

    public void AddOutsideFunctionalityLevel() => OutsideFunctionalityLevel++;

    public void AddUnsupported(string file, int line, LineIssue issue)
    {
        UnsupportedLines++;
        _unsupportedByKind[issue.Kind] = _unsupportedByKind.GetValueOrDefault(issue.Kind) + 1;
        if (_examples.Count < ExampleLimit)
        {
            _examples.Add($"{file}:{line}: {issue.Kind}: {issue.Detail}");
        }
    }

    /// <summary>One line for the engine status: counts first, then what was not honoured and where.</summary>
    public string Summary()
    {
        var text = new StringBuilder()
            .Append($"{_files.Count} files, {Signatures} signatures ({BodySignatures} body, {HashSignatures} hash), ")
            .Append($"{UnsupportedLines} lines unsupported");
        if (UnsupportedLines > 0)
        {
            text.Append(" (").AppendJoin(", ", _unsupportedByKind.Select(k => $"{k.Value} {k.Key}")).Append(')')
                .Append(", first at ").AppendJoin("; ", _examples);
        }

        if (OutsideFunctionalityLevel > 0)
        {
            text.Append($", {OutsideFunctionalityLevel} outside functionality level {FunctionalityLevel.Current}");
        }

        if (_skippedFiles.Count > 0)
        {
            text.Append($", {_skippedFiles.Count} files skipped: ").AppendJoin(", ", _skippedFiles);
        }

        return text.ToString();
    }
}
