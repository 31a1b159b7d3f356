using System.Runtime;
using Microsoft.Extensions.Logging;
using Postern.Plugins.Engine.Signatures.Loading;
using Postern.Plugins.Engine.Signatures.Matching;
using Postern.Sdk.Scanning;

namespace Postern.Plugins.Engine.Signatures;

/// <summary>
/// The <c>signatures</c> engine: ClamAV signatures matched in process. Scans read an immutable
/// <see cref="CompiledDatabase"/> through one reference, taken once per scan, so they never lock; a reload builds
/// the next database beside it and publishes it with one reference write. Reloads run one at a time.
/// </summary>
internal sealed partial class SignatureEngine : IReloadableEngine, IDisposable
{
    public const string EngineName = "signatures";

    private readonly SignatureEngineOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _reloads = new(1, 1);
    private CompiledDatabase? _database;
    private DatabaseFingerprint? _fingerprint;
    private DatabaseWatcher? _watcher;
    private volatile EngineStatus _status = EngineStatus.NotStarted;

    public SignatureEngine(SignatureEngineOptions options, ILogger<SignatureEngine> logger, TimeProvider time)
    {
        _options = options;
        _logger = logger;
        _time = time;
    }

    public string Name => EngineName;

    public EngineStatus Status => _status;

    /// <summary>The database in service, or null before a successful load.</summary>
    internal CompiledDatabase? Database => Volatile.Read(ref _database);

    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            // The host compacts the heap once after every engine has loaded, so the first load leaves its garbage to that.
            await LoadAsync(collectAfter: false, cancellationToken);
        }
        catch (SignatureDatabaseException e)
        {
            _status = new EngineStatus(EngineState.Failed, e.Message);
            throw;
        }

        if (_options.Watch)
        {
            try
            {
                _watcher = new DatabaseWatcher(_options.Locations, _options.Quiet,
                    () => ReloadAsync(CancellationToken.None).AsTask(), _time, _logger);
            }
            catch (IOException e)
            {
                // Out of inotify instances, say: the database still serves, only reloads must be asked for.
                LogWatchUnavailable(e.Message);
            }
        }
    }

    public async ValueTask<bool> ReloadAsync(CancellationToken cancellationToken)
    {
        if (Database is null)
        {
            throw new InvalidOperationException("The signatures engine is not initialised.");
        }

        await _reloads.WaitAsync(cancellationToken);
        try
        {
            // No host collection follows a reload at run time, so the engine releases its own load garbage.
            return await LoadAsync(collectAfter: true, cancellationToken);
        }
        catch (SignatureDatabaseException e)
        {
            var serving = Database!.Report;
            _status = new EngineStatus(EngineState.Ready,
                $"reload failed, the previous database stays in service: {e.Message}; in service: {serving.Summary()}",
                serving.Signatures, _status.DatabaseVersion);
            LogReloadFailed(e.Message);
            throw new SignatureDatabaseException($"Reload failed, the previous database stays in service: {e.Message}", e);
        }
        finally
        {
            _reloads.Release();
        }
    }

    public ValueTask<EngineResult> ScanAsync(ScanItem item, CancellationToken cancellationToken)
    {
        // One read: the whole scan runs on this database even if a reload publishes another meanwhile.
        var database = Database ?? throw new InvalidOperationException("The signatures engine is not initialised.");
        if (item.Content.IsEmpty)
        {
            return ValueTask.FromResult(EngineResult.Clean);
        }

        var names = database.Scan(item.Content.Span, item.DecodedElsewhere, cancellationToken);
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

    public void Dispose()
    {
        _watcher?.Dispose();
        _reloads.Dispose();
    }

    /// <summary>Loads and publishes the database unless its files are as they were; false when they were.</summary>
    private async Task<bool> LoadAsync(bool collectAfter, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var fingerprint = DatabaseFingerprint.Take(_options.Locations);
        if (fingerprint.Equals(_fingerprint))
        {
            return false;
        }

        // Off the caller's thread: a large database takes seconds to compile.
        var database = await Task.Run(
            () => CompiledDatabase.Compile(DatabaseLoader.Load(_options.Locations, cancellationToken)), cancellationToken);
        var report = database.Report;
        var version = report.Versions.Count > 0 ? string.Join(", ", report.Versions) : null;
        Volatile.Write(ref _database, database);
        _fingerprint = fingerprint;
        if (collectAfter)
        {
            ReleaseLoadGarbage();
        }

        var summary = report.Summary();
        _status = new EngineStatus(EngineState.Ready, summary, report.Signatures, version);
        var milliseconds = _time.GetElapsedTime(started).TotalMilliseconds;
        if (report.UnsupportedLines > 0 || report.SkippedFiles.Count > 0)
        {
            // Lines we cannot honour are the admin's business: say so at a level the CLI shows by default.
            LogLoadedWithGaps(summary, milliseconds);
        }
        else
        {
            LogLoaded(summary, milliseconds);
        }

        return true;
    }

    /// <summary>
    /// A large load leaves several times the compiled database's size behind in parsed lines and intermediate
    /// signatures (about 170 MiB for 700,000 signatures); without a compacting, decommitting collection the process
    /// keeps that memory until a full collection that a quiet server may not run for hours. Once per reload only:
    /// after the first load core/Postern.Host/Cli/HostRuntime.cs runs the same collection once for all engines.
    /// </summary>
    private static void ReleaseLoadGarbage()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Signature database loaded in {Milliseconds:F0} ms: {Summary}")]
    private partial void LogLoaded(string summary, double milliseconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Signature database loaded in {Milliseconds:F0} ms with lines or files it cannot honour: {Summary}")]
    private partial void LogLoadedWithGaps(string summary, double milliseconds);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Cannot watch the signature database for changes; reload it with SIGHUP: {Reason}")]
    private partial void LogWatchUnavailable(string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Signature database reload failed; the previous database stays in service: {Reason}")]
    private partial void LogReloadFailed(string reason);
}
