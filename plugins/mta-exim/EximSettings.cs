using System.Globalization;
using System.Net;
using Postern.Protocols.Clamd;

namespace Postern.Plugins.Mta.Exim;

/// <summary>The <c>[exim]</c> section's listener settings, read into the clamd server's options. Policy settings in
/// the same section (<c>action_av_infected</c>, quarantine, notify) are the host's, applied by the dispatcher.</summary>
internal static class EximSettings
{
    public const string DefaultSpoolScanRoot = "/var/spool/exim4/scan";

    /// <summary>Builds the server options; throws <see cref="FormatException"/> naming the bad setting.</summary>
    public static ClamdServerOptions Read(IReadOnlyDictionary<string, string> exim, IReadOnlyDictionary<string, string> global)
    {
        var runDir = global.TryGetValue("run_dir", out var r) && r.Length > 0 ? r : "/run/postern";
        var options = new ClamdServerOptions
        {
            UnixSocketPath = Text(exim, "clamd_socket", Path.Combine(runDir, "clamd.sock")),
            // Debian's clamd uses LocalSocketMode 666: Exim connects as Debian-exim. The protocol has no credentials;
            // what a client can reach is bounded by scan_roots.
            UnixSocketMode = (UnixFileMode)Convert.ToInt32(Text(exim, "clamd_socket_mode", "0666"), 8),
            ScanRoots = [.. Text(exim, "scan_roots", DefaultSpoolScanRoot).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            StreamMaxLength = Size(exim, "stream_max_length", 100L * 1024 * 1024),
            MaxConnections = (int)Number(exim, "max_connections", 64),
            CommandReadTimeout = Duration(exim, "command_timeout", TimeSpan.FromSeconds(30)),
            ReadTimeout = Duration(exim, "read_timeout", TimeSpan.FromSeconds(120)),
            IdleTimeout = Duration(exim, "idle_timeout", TimeSpan.FromSeconds(30)),
        };
        options.MaxFileLength = Size(exim, "max_file_length", options.StreamMaxLength);
        if (options.UnixSocketPath is "" or "no" or "none")
        {
            options.UnixSocketPath = null;
        }

        var tcp = Text(exim, "clamd_tcp", "");
        if (tcp.Length > 0 && tcp is not "no" and not "none")
        {
            options.TcpEndPoint = IPEndPoint.TryParse(tcp, out var ep) && ep.Port > 0
                ? ep
                : throw new FormatException($"[exim] clamd_tcp = {tcp}: expected ADDRESS:PORT, such as 127.0.0.1:3310");
        }

        if (exim.TryGetValue("version_string", out var version) && version.Length > 0)
        {
            options.Version = version;
        }
        else
        {
            options.Version = $"ClamAV 1.4.6 (Postern {typeof(EximSettings).Assembly.GetName().Version?.ToString(3)})";
        }

        return options;
    }

    private static string Text(IReadOnlyDictionary<string, string> s, string name, string fallback) =>
        s.TryGetValue(name, out var v) ? v.Trim() : fallback;

    private static long Number(IReadOnlyDictionary<string, string> s, string name, long fallback) =>
        !s.TryGetValue(name, out var v) ? fallback
        : long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
        : throw new FormatException($"[exim] {name} = {v}: expected a positive number");

    private static long Size(IReadOnlyDictionary<string, string> s, string name, long fallback)
    {
        if (!s.TryGetValue(name, out var v))
        {
            return fallback;
        }

        var t = v.Trim();
        var unit = t.Length > 0 ? char.ToUpperInvariant(t[^1]) : ' ';
        var multiplier = unit switch { 'K' => 1024L, 'M' => 1024L * 1024, 'G' => 1024L * 1024 * 1024, _ => 1L };
        var digits = multiplier == 1 ? t : t[..^1];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && n * multiplier <= Array.MaxLength
            ? n * multiplier
            : throw new FormatException($"[exim] {name} = {v}: expected a size such as 25M (at most 2G)");
    }

    private static TimeSpan Duration(IReadOnlyDictionary<string, string> s, string name, TimeSpan fallback)
    {
        if (!s.TryGetValue(name, out var v))
        {
            return fallback;
        }

        var t = v.Trim();
        var unit = t.Length > 0 ? t[^1] : ' ';
        var seconds = unit switch { 's' => 1, 'm' => 60, 'h' => 3600, _ => 1 };
        var digits = char.IsDigit(unit) ? t : t[..^1];
        return double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) && n > 0
            ? TimeSpan.FromSeconds(n * seconds)
            : throw new FormatException($"[exim] {name} = {v}: expected a duration such as 30s");
    }
}
