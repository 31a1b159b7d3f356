using Microsoft.Extensions.Logging;
using Postern.Sdk.Plugins;

namespace Postern.Core.Plugins;

/// <summary>The plugin host's log lines. Event ids 1100-1199 are the plugin host's and never change meaning.</summary>
internal static partial class PluginHostLog
{
    private const string Line = "Plugin {PluginId} {PluginVersion} is {PluginState}: {Reason} ({PluginDirectory})";

    [LoggerMessage(EventId = 1101, EventName = "PluginActive", Level = LogLevel.Information, Message = Line)]
    public static partial void Active(ILogger logger, string pluginId, string pluginVersion, string pluginState, string reason, string pluginDirectory);

    [LoggerMessage(EventId = 1102, EventName = "PluginDisabled", Level = LogLevel.Information, Message = Line)]
    public static partial void Disabled(ILogger logger, string pluginId, string pluginVersion, string pluginState, string reason, string pluginDirectory);

    [LoggerMessage(EventId = 1103, EventName = "PluginNotSupported", Level = LogLevel.Warning, Message = Line)]
    public static partial void NotSupported(ILogger logger, string pluginId, string pluginVersion, string pluginState, string reason, string pluginDirectory);

    [LoggerMessage(EventId = 1104, EventName = "PluginMalfunctioned", Level = LogLevel.Error, Message = Line)]
    public static partial void Malfunctioned(ILogger logger, Exception? exception, string pluginId, string pluginVersion, string pluginState, string reason, string pluginDirectory);

    [LoggerMessage(EventId = 1110, EventName = "PluginRootScanned", Level = LogLevel.Debug, Message = "Plugin root {Root}: {FolderCount} folders")]
    public static partial void RootScanned(ILogger logger, string root, int folderCount);

    [LoggerMessage(EventId = 1111, EventName = "PluginRootUnreadable", Level = LogLevel.Warning, Message = "Plugin root {Root} skipped: {Reason}")]
    public static partial void RootMissing(ILogger logger, string root, string reason);

    [LoggerMessage(EventId = 1120, EventName = "PluginDisposeFailed", Level = LogLevel.Warning, Message = "Plugin {PluginId} failed while shutting down")]
    public static partial void DisposeFailed(ILogger logger, Exception exception, string pluginId);

    /// <summary>The one line each plugin gets, at the level and with the event id of its final state.</summary>
    public static void Outcome(ILogger logger, PluginOutcome outcome)
    {
        var (record, version) = (outcome.Record, outcome.Record.Version ?? "-");
        var state = record.State.ToString();
        switch (record.State)
        {
            case PluginState.Active:
                Active(logger, record.Id, version, state, record.Reason, record.Directory);
                break;
            case PluginState.Disabled:
                Disabled(logger, record.Id, version, state, record.Reason, record.Directory);
                break;
            case PluginState.NotSupported:
                NotSupported(logger, record.Id, version, state, record.Reason, record.Directory);
                break;
            default:
                Malfunctioned(logger, outcome.Error, record.Id, version, state, record.Reason, record.Directory);
                break;
        }
    }
}
