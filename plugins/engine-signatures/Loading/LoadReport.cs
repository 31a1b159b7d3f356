using System.Text;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>
/// What a load read, kept, left out and could not honour. Filled by <see cref="DatabaseLoader"/> only, then
/// read-only for the life of the compiled database that carries it.
/// </summary>
internal sealed class LoadReport
{
    /// <summary>How many unsupported lines (and skipped files) are named; the rest are only counted.</summary>
    public const int ExampleLimit = 5;

    private readonly List<string> _files = [];
    private readonly List<string> _skippedFiles = [];
    private readonly List<string> _versions = [];
    private readonly SortedDictionary<string, int> _unsupportedByKind = new(StringComparer.Ordinal);
    private readonly List<string> _examples = [];

    public IReadOnlyList<string> Files => _files;

    /// <summary>Files and container members of kinds this engine does not read, with why.</summary>
    public IReadOnlyList<string> SkippedFiles => _skippedFiles;

    /// <summary>The versions of the containers read, as <c>daily 27500</c>.</summary>
    public IReadOnlyList<string> Versions => _versions;

    public IReadOnlyDictionary<string, int> UnsupportedByKind => _unsupportedByKind;

    /// <summary>The first <see cref="ExampleLimit"/> unsupported lines as <c>file:line: kind: detail</c>.</summary>
    public IReadOnlyList<string> Examples => _examples;

    public int BodySignatures { get; private set; }

    public int HashSignatures { get; private set; }

    public int LogicalSignatures { get; private set; }

    /// <summary>Hashes of the allow lists (<c>.fp</c>, <c>.sfp</c>).</summary>
    public int AllowedHashes { get; private set; }

    /// <summary>Signatures left out because an ignore list names them.</summary>
    public int IgnoredSignatures { get; private set; }

    public int OutsideFunctionalityLevel { get; private set; }

    public int UnsupportedLines { get; private set; }

    public int Signatures => BodySignatures + HashSignatures + LogicalSignatures;

    public void AddFile(string path) => _files.Add(path);

    public void AddSkippedFile(string path, string reason) => _skippedFiles.Add($"{path} ({reason})");

    public void AddSkippedMember(string label, string reason) => _skippedFiles.Add($"{label} ({reason})");

    public void AddVersion(string version) => _versions.Add(version);

    public void AddIgnored(int count) => IgnoredSignatures += count;

    public void AddOutsideFunctionalityLevel() => OutsideFunctionalityLevel++;

    public void SetCounts(int bodies, int hashes, int logicals, int allowed) =>
        (BodySignatures, HashSignatures, LogicalSignatures, AllowedHashes) = (bodies, hashes, logicals, allowed);

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
            .Append($"{_files.Count} files, {Signatures} signatures ")
            .Append($"({BodySignatures} body, {HashSignatures} hash, {LogicalSignatures} logical), ")
            .Append($"{UnsupportedLines} lines unsupported");
        if (UnsupportedLines > 0)
        {
            text.Append(" (").AppendJoin(", ", _unsupportedByKind.Select(k => $"{k.Value} {k.Key}")).Append(')')
                .Append(", first at ").AppendJoin("; ", _examples);
        }

        if (AllowedHashes > 0 || IgnoredSignatures > 0)
        {
            text.Append($", {AllowedHashes} allow-listed hashes, {IgnoredSignatures} signatures ignored");
        }

        if (OutsideFunctionalityLevel > 0)
        {
            text.Append($", {OutsideFunctionalityLevel} outside functionality level {FunctionalityLevel.Current}");
        }

        if (_skippedFiles.Count > 0)
        {
            text.Append($", {_skippedFiles.Count} files skipped: ").AppendJoin(", ", _skippedFiles.Take(ExampleLimit));
            if (_skippedFiles.Count > ExampleLimit)
            {
                text.Append($" and {_skippedFiles.Count - ExampleLimit} more");
            }
        }

        return text.ToString();
    }
}
