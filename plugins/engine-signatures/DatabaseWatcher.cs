using Microsoft.Extensions.Logging;

namespace Postern.Plugins.Engine.Signatures;

/// <summary>
/// Watches the database locations and asks for a reload once they have been quiet for a moment. Every event
/// restarts the wait, so a burst (freshclam writing several files, a copy in progress) costs one reload, and a
/// rename into place (how freshclam and <c>cp</c> + <c>mv</c> publish) counts as a change of the target name.
/// </summary>
internal sealed partial class DatabaseWatcher : IDisposable
{
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly HashSet<string> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private readonly ITimer _timer;
    private readonly TimeSpan _quiet;
    private readonly Func<Task> _reload;
    private readonly ILogger _logger;

    public DatabaseWatcher(IEnumerable<string> locations, TimeSpan quiet, Func<Task> reload, TimeProvider time, ILogger logger)
    {
        _quiet = quiet;
        _reload = reload;
        _logger = logger;
        _timer = time.CreateTimer(_ => _ = ReloadAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        foreach (var location in locations.Select(Path.GetFullPath))
        {
            var directory = Directory.Exists(location) ? location : Path.GetDirectoryName(location)!;
            (Directory.Exists(location) ? _directories : _files).Add(location);
            if (Directory.Exists(directory) && _watchers.TrueForAll(w => w.Path != directory))
            {
                _watchers.Add(Watch(directory));
            }
        }
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _timer.Dispose();
    }

    private FileSystemWatcher Watch(string directory)
    {
        var watcher = new FileSystemWatcher(directory)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            IncludeSubdirectories = false,
        };
        watcher.Changed += (_, e) => Touched(e.FullPath);
        watcher.Created += (_, e) => Touched(e.FullPath);
        watcher.Deleted += (_, e) => Touched(e.FullPath);
        watcher.Renamed += (_, e) =>
        {
            Touched(e.FullPath);
            Touched(e.OldFullPath);
        };

        // A lost event (the kernel queue overflowed) may have been the one that mattered.
        watcher.Error += (_, _) => _timer.Change(_quiet, Timeout.InfiniteTimeSpan);
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private void Touched(string path)
    {
        if (_files.Contains(path) || _directories.Contains(Path.GetDirectoryName(path) ?? string.Empty))
        {
            _timer.Change(_quiet, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task ReloadAsync()
    {
        try
        {
            await _reload();
        }
        catch (Exception e)
        {
            // A timer thread has no caller to report to; the engine has already logged and noted the failure in
            // its status, and the old database stays in service.
            LogReloadFailed(e.Message);
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Reload after a database change failed: {Reason}")]
    private partial void LogReloadFailed(string reason);
}
