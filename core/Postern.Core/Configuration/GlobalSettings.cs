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
    public const string MaxConcurrentScans = "scan_max_concurrent";
    public const string ScanBufferCache = "scan_buffer_cache";
    public const string QuarantineDir = "av_quarantine_dir";
    public const string QuarantineRetention = "av_quarantine_retention";
    public const string QuarantineReleaseServer = "quarantine_release_server";
    public const string NotifyTimeout = "av_notify_timeout";
    public const string SyslogEnabled = "syslog_enabled";
    public const string SyslogFacility = "syslog_facility";
    public const string SyslogSocket = "syslog_socket";
    public const string SyslogFormat = "syslog_format";
    public const string SyslogIdent = "syslog_ident";
    public const string RunDir = RunDirectory.Setting;

    public static IReadOnlyList<SettingSpec> All { get; } =
    [
        new(DatabaseDir, SettingKind.PathList, "", "Signature database files or directories, comma-separated; empty for the bundled database (clamscan -d)."),
        new(PluginDir, SettingKind.PathList, "", "More folders to load plugins from, besides the plugins/ folder beside the executable."),
        new(LogLevel, SettingKind.Choice, "info", "Least severity logged.", ["trace", "debug", "info", "warning", "error", "critical"]),
        new(ScanTimeout, SettingKind.Duration, "60s", "Time allowed for one message; past it the message is not scanned (time limit). Keep it below the MTA's timeouts."),
        new(EngineTimeout, SettingKind.Duration, "30s", "Time one engine may spend on one message, carved from scan_timeout."),
        new(EngineInitTimeout, SettingKind.Duration, "120s", "Time an engine may take to load its database at start."),
        new(MaxDepth, SettingKind.Integer, "17", "Nesting depth of containers (forwarded messages, archives); ClamAV's MaxRecursion is 17."),
        new(MaxFiles, SettingKind.Integer, "10000", "Items per message; ClamAV's MaxFiles is 10000."),
        new(MaxFileSize, SettingKind.Size, "100M", "Largest single item (decoded part, archive member); ClamAV's MaxFileSize is 100M."),
        new(MaxTotalSize, SettingKind.Size, "400M", "Decoded bytes per message in all; ClamAV's MaxScanSize is 400M."),
        new(MaxRatio, SettingKind.Integer, "100", "Largest expansion ratio of a compressed container once its output passes 1 MiB."),
        new(MaxMimeParts, SettingKind.Integer, "1024", "MIME parts per message; ClamAV's email parser stops at 1024."),
        new(MaxConcurrentScans, SettingKind.Integer, "0", "Messages scanned at once (clamd's MaxThreads); the rest wait inside scan_timeout. 0: one per core."),
        new(ScanBufferCache, SettingKind.Size, "4M", "Bytes of large file and decode buffers kept for the next message: more costs that much memory and saves allocating them again (32M: about 10% less CPU for a corpus scan, 14 MiB more RSS). postern serve defaults to 16M."),
        new(QuarantineDir, SettingKind.Text, "/var/lib/postern/quarantine", "Where quarantined messages and their index (index.db) are kept; created 0700."),
        new(QuarantineRetention, SettingKind.Text, "30d", "Age after which quarantined messages are purged by the daemon (30d, 2w, 12h; 0 keeps them forever)."),
        new(QuarantineReleaseServer, SettingKind.Text, "127.0.0.1:10026", "host:port of the SMTP server that `postern quarantine release` hands messages to (the MTA's reinjection port)."),
        new(NotifyTimeout, SettingKind.Duration, "10s", "Time av_notify_command may run before it is killed."),
        new(SyslogEnabled, SettingKind.Bool, "yes", "Also log to syslog (the summary line of each message goes there at info)."),
        new(SyslogFacility, SettingKind.Choice, "mail", "Syslog facility.", ["kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"]),
        new(SyslogSocket, SettingKind.Text, "/dev/log", "The syslog daemon's datagram socket."),
        new(SyslogFormat, SettingKind.Choice, "rfc3164", "rfc3164 (BSD, what /dev/log readers expect) or rfc5424.", ["rfc3164", "rfc5424"]),
        new(SyslogIdent, SettingKind.Text, "postern", "The program name in syslog lines."),
        new(RunDir, SettingKind.Text, RunDirectory.Default, "Where postern serve puts its local sockets (the clamd, milter and local-submission sockets), created 0750 when missing."),
        .. Postern.Core.Policy.PolicySettings.All,
    ];

    public static SettingSpec? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}
