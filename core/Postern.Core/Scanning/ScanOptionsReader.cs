using System.Globalization;
using Postern.Core.Configuration;
using Postern.Extraction.Buffers;

namespace Postern.Core.Scanning;

/// <summary>Builds <see cref="ScanOptions"/> from the <c>[global]</c> section; missing settings keep their
/// defaults. Values are assumed validated by <see cref="ConfigValidator"/>; one that still does not parse keeps
/// the default rather than guessing.</summary>
public static class ScanOptionsReader
{
    public static ScanOptions Read(IReadOnlyDictionary<string, string> global)
    {
        var o = new ScanOptions();
        var l = o.Limits;
        l = l with
        {
            MaxDepth = Int(global, GlobalSettings.MaxDepth) ?? l.MaxDepth,
            MaxFiles = Int(global, GlobalSettings.MaxFiles) ?? l.MaxFiles,
            MaxItemBytes = Size(global, GlobalSettings.MaxFileSize) ?? l.MaxItemBytes,
            MaxTotalBytes = Size(global, GlobalSettings.MaxTotalSize) ?? l.MaxTotalBytes,
            MaxRatio = Int(global, GlobalSettings.MaxRatio) ?? l.MaxRatio,
            MaxMimeParts = Int(global, GlobalSettings.MaxMimeParts) ?? l.MaxMimeParts,
        };
        return o with
        {
            Limits = l,
            MessageTimeout = Duration(global, GlobalSettings.ScanTimeout) ?? o.MessageTimeout,
            EngineTimeout = Duration(global, GlobalSettings.EngineTimeout) ?? o.EngineTimeout,
            MaxConcurrentScans = Int(global, GlobalSettings.MaxConcurrentScans) ?? o.MaxConcurrentScans,
        };
    }

    /// <summary>The idle budget of the scan buffer pool: <c>scan_buffer_cache</c>, by default
    /// <see cref="ScanBufferPool.DefaultIdleBudget"/>.</summary>
    public static long BufferCache(IReadOnlyDictionary<string, string> global) =>
        Size(global, GlobalSettings.ScanBufferCache) ?? ScanBufferPool.DefaultIdleBudget;

    public static TimeSpan EngineInitTimeout(IReadOnlyDictionary<string, string> global) =>
        Duration(global, GlobalSettings.EngineInitTimeout) ?? TimeSpan.FromSeconds(120);

    private static int? Int(IReadOnlyDictionary<string, string> g, string key) =>
        g.TryGetValue(key, out var v) && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static long? Size(IReadOnlyDictionary<string, string> g, string key) =>
        g.TryGetValue(key, out var v) && ConfigValue.TryParseSize(v, out var n) ? n : null;

    private static TimeSpan? Duration(IReadOnlyDictionary<string, string> g, string key) =>
        g.TryGetValue(key, out var v) && ConfigValue.TryParseDuration(v, out var d) ? d : null;
}
