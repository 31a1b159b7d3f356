using System.Globalization;

namespace Postern.Protocols.Milter.Agent;

/// <summary>Which scan outcomes the milter agent puts in the MTA's hold queue (SMFIR_QUARANTINE).</summary>
[Flags]
public enum HoldQueue
{
    /// <summary>Never.</summary>
    None = 0,
    /// <summary>Messages with a finding that the policy lets into the queue (accept or discard).</summary>
    Infected = 1,
    /// <summary>Messages that could not be fully scanned and that the policy lets into the queue.</summary>
    NotScanned = 2,
}

/// <summary>
/// The milter agent's settings, read from its agent section (<c>[sendmail]</c>, <c>[postfix]</c>) beside the policy
/// overrides: <c>milter_listen</c>, <c>milter_max_connections</c>, <c>milter_socket_mode</c>, <c>milter_idle_timeout</c>,
/// <c>milter_message_timeout</c>, <c>milter_progress_interval</c>, <c>milter_max_message_size</c>, <c>milter_hold</c>.
/// Immutable. <see cref="Parse"/> never throws; it returns every problem.
/// </summary>
public sealed record MilterAgentSettings
{
    /// <summary>The setting names, for configuration checks.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "milter_listen", "milter_max_connections", "milter_socket_mode", "milter_idle_timeout", "milter_message_timeout",
        "milter_progress_interval", "milter_max_message_size", "milter_hold",
    ];

    /// <summary>Where to listen.</summary>
    public IReadOnlyList<MilterEndpoint> Endpoints { get; init; } = [];

    /// <summary>Connections served at once.</summary>
    public int MaxConnections { get; init; } = 200;

    /// <summary>Mode of a unix socket.</summary>
    public UnixFileMode SocketMode { get; init; } = (UnixFileMode)Convert.ToInt32("660", 8);

    /// <summary>Session options.</summary>
    public MilterOptions Options { get; init; } = new();

    /// <summary>What goes to the MTA's hold queue.</summary>
    public HoldQueue Hold { get; init; }

    /// <summary>Reads the agent section; <paramref name="defaultListen"/> applies when <c>milter_listen</c> is absent.</summary>
    public static MilterAgentSettings Parse(IReadOnlyDictionary<string, string> section, string runDirectory, string defaultListen, out List<string> errors)
    {
        errors = [];
        var problems = errors;
        string Get(string name, string fallback) => section.TryGetValue(name, out var v) && v.Trim().Length > 0 ? v.Trim() : fallback;

        var endpoints = new List<MilterEndpoint>();
        foreach (var spec in Get("milter_listen", defaultListen).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (MilterEndpoint.TryParse(spec, runDirectory, out var e, out var error))
            {
                endpoints.Add(e);
            }
            else
            {
                problems.Add($"milter_listen: {error}");
            }
        }

        var defaults = new MilterOptions();
        var options = defaults with
        {
            IdleTimeout = Duration("milter_idle_timeout", defaults.IdleTimeout),
            MessageTimeout = Duration("milter_message_timeout", defaults.MessageTimeout),
            ProgressInterval = Duration("milter_progress_interval", defaults.ProgressInterval),
            MaxMessageSize = Size("milter_max_message_size", defaults.MaxMessageSize),
        };

        var max = Get("milter_max_connections", "200");
        if (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out var maxConnections) || maxConnections < 1)
        {
            problems.Add($"milter_max_connections: '{max}' is not a positive number");
            maxConnections = 200;
        }

        var modeText = Get("milter_socket_mode", "0660");
        int mode;
        try
        {
            mode = Convert.ToInt32(modeText, 8);
        }
        catch (FormatException)
        {
            problems.Add($"milter_socket_mode: '{modeText}' is not an octal mode");
            mode = Convert.ToInt32("660", 8);
        }

        var hold = HoldQueue.None;
        foreach (var word in Get("milter_hold", "none").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            hold |= word.ToLowerInvariant() switch
            {
                "none" or "no" => HoldQueue.None,
                "infected" => HoldQueue.Infected,
                "notscanned" or "not_scanned" => HoldQueue.NotScanned,
                "all" or "yes" => HoldQueue.Infected | HoldQueue.NotScanned,
                _ => Bad(word),
            };
        }

        return new MilterAgentSettings { Endpoints = endpoints, MaxConnections = maxConnections, SocketMode = (UnixFileMode)mode, Options = options, Hold = hold };

        HoldQueue Bad(string word)
        {
            problems.Add($"milter_hold: '{word}' is not none, infected, notscanned or all");
            return HoldQueue.None;
        }

        TimeSpan Duration(string name, TimeSpan fallback)
        {
            var text = Get(name, "");
            if (text.Length == 0)
            {
                return fallback;
            }

            if (TryDuration(text, out var value) && value > TimeSpan.Zero)
            {
                return value;
            }

            problems.Add($"{name}: '{text}' is not a duration (such as 30s, 5m)");
            return fallback;
        }

        long Size(string name, long fallback)
        {
            var text = Get(name, "");
            if (text.Length == 0)
            {
                return fallback;
            }

            var unit = char.ToUpperInvariant(text[^1]) switch { 'K' => 1024L, 'M' => 1024L * 1024, 'G' => 1024L * 1024 * 1024, _ => 1L };
            var digits = unit == 1 ? text : text[..^1];
            if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && n <= int.MaxValue / unit)
            {
                return n * unit;
            }

            problems.Add($"{name}: '{text}' is not a size (such as 50M) below 2G");
            return fallback;
        }
    }

    private static bool TryDuration(string text, out TimeSpan value)
    {
        value = default;
        var unit = char.ToLowerInvariant(text[^1]) switch { 's' => 1.0, 'm' => 60.0, 'h' => 3600.0, _ => 0.0 };
        var digits = unit == 0 ? text : text[..^1];
        if (!double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }

        value = TimeSpan.FromSeconds(n * (unit == 0 ? 1 : unit));
        return true;
    }
}
