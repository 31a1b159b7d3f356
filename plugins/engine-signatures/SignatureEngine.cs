using Microsoft.Extensions.Logging;
using Postern.Plugins.Engine.Signatures.Loading;
using Postern.Plugins.Engine.Signatures.Matching;
using Postern.Sdk.Scanning;

namespace Postern.Plugins.Engine.Signatures;

/// <summary>
/// The <c>signatures</c> engine: ClamAV body and hash signatures matched in process. Scans read an immutable
/// <see cref="CompiledDatabase"/> through one reference, so they never lock and a later reload can swap it.
/// </summary>
internal sealed partial class SignatureEngine : IScanEngine
{
    public const string EngineName = "signatures";

    private readonly IReadOnlyList<string> _locations;
    private readonly ILogger _logger;
    private volatile CompiledDatabase? _database;
    private volatile EngineStatus _status = EngineStatus.NotStarted;

    public SignatureEngine(IReadOnlyList<string> locations, ILogger<SignatureEngine> logger)
    {
        _locations = locations;
        _logger = logger;
    }

    public string Name => EngineName;

    public EngineStatus Status => _status;

    /// <summary>The database in service, or null before a successful load.</summary>
    internal CompiledDatabase? Database => _database;

    public ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var started = TimeProvider.System.GetTimestamp();
            var database = CompiledDatabase.Compile(DatabaseLoader.Load(_locations, cancellationToken));
            var report = database.Report;
            _database = database;
            var summary = report.Summary();
            _status = new EngineStatus(EngineState.Ready, summary, report.Signatures);
            var milliseconds = TimeProvider.System.GetElapsedTime(started).TotalMilliseconds;
            if (report.UnsupportedLines > 0 || report.SkippedFiles.Count > 0)
            {
                // Lines we cannot honour are the admin's business: say so at a level the CLI shows by default.
                LogLoadedWithGaps(summary, milliseconds);
            }
            else
            {
                LogLoaded(summary, milliseconds);
            }
            return ValueTask.CompletedTask;
        }
        catch (SignatureDatabaseException e)
        {
            _status = new EngineStatus(EngineState.Failed, e.Message);
            throw;
        }
    }

    public ValueTask<EngineResult> ScanAsync(ScanItem item, CancellationToken cancellationToken)
    {
        var database = _database ?? throw new InvalidOperationException("The signatures engine is not initialised.");
        if (item.Content.IsEmpty)
        {
            return ValueTask.FromResult(EngineResult.Clean);
        }

        var names = database.Scan(item.Content.Span, cancellationToken);
        if (names.IsEmpty)
        {
            return ValueTask.FromResult(EngineResult.Clean);
        }

        var findings = new Finding[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            findings[i] = new Finding(names[i], EngineName, item.Path);
        }

        return ValueTask.FromResult(EngineResult.Infected(findings));
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Signature database loaded in {Milliseconds:F0} ms: {Summary}")]
    private partial void LogLoaded(string summary, double milliseconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Signature database loaded in {Milliseconds:F0} ms with lines or files it cannot honour: {Summary}")]
    private partial void LogLoadedWithGaps(string summary, double milliseconds);
}
