namespace Postern.Core.Configuration;

/// <summary>The settings of the <c>[global]</c> section that the host itself reads.</summary>
public static class GlobalSettings
{
    public const string DatabaseDir = "database_dir";
    public const string PluginDir = "plugin_dir";
    public const string LogLevel = "log_level";
    public const string ScanTimeout = "scan_timeout";
    public const string EngineTimeout = "engine_timeout";
    public const string EngineInitTimeout = "engine_init_timeout";
    public const string MaxDepth = "scan_max_depth";
    public const string MaxFiles = "scan_max_files";
    public const string MaxFileSize = "scan_max_file_size";
    public const string MaxTotalSize = "scan_max_total_size";
    public const string MaxRatio = "scan_max_ratio";
    public const string MaxMimeParts = "scan_max_mime_parts";

    public static IReadOnlyList<SettingSpec> All { get; } =
    [
        new(DatabaseDir, SettingKind.PathList, "", "Signature database files or directories, comma-separated; empty for the bundled database (clamscan -d)."),
        new(PluginDir, SettingKind.PathList, "", "More folders to load plugins from, besides the plugins/ folder beside the executable."),
        new(LogLevel, SettingKind.Choice, "info", "Least severity logged.", ["debug", "info", "warning", "error"]),
        new(ScanTimeout, SettingKind.Duration, "60s", "Time allowed for one message; past it the message is not scanned (time limit). Keep it below the MTA's timeouts."),
        new(EngineTimeout, SettingKind.Duration, "30s", "Time one engine may spend on one message, carved from scan_timeout."),
        new(EngineInitTimeout, SettingKind.Duration, "120s", "Time an engine may take to load its database at start."),
        new(MaxDepth, SettingKind.Integer, "17", "Nesting depth of containers (forwarded messages, archives); ClamAV's MaxRecursion is 17."),
        new(MaxFiles, SettingKind.Integer, "10000", "Items per message; ClamAV's MaxFiles is 10000."),
        new(MaxFileSize, SettingKind.Size, "100M", "Largest single item (decoded part, archive member); ClamAV's MaxFileSize is 100M."),
        new(MaxTotalSize, SettingKind.Size, "400M", "Decoded bytes per message in all; ClamAV's MaxScanSize is 400M."),
        new(MaxRatio, SettingKind.Integer, "100", "Largest expansion ratio of a compressed container once its output passes 1 MiB."),
        new(MaxMimeParts, SettingKind.Integer, "1024", "MIME parts per message; ClamAV's email parser stops at 1024."),
    ];

    public static SettingSpec? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}
