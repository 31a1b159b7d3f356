using System.Globalization;
using System.Net;

namespace Postern.Plugins.Mta.Postfix;

/// <summary>The after-queue agent's settings, from the <c>[postfix]</c> section. Each default says where it comes from.</summary>
internal sealed record PostfixAgentOptions
{
    /// <summary><c>listen</c>: where Postfix's content_filter transport delivers (FILTER_README's 10025).</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 10025);

    /// <summary><c>reinject</c>: the smtpd that takes scanned mail back (FILTER_README's 10026).</summary>
    public IPEndPoint Reinject { get; init; } = new(IPAddress.Loopback, 10026);

    /// <summary><c>max_connections</c>: connections served at once. The setup gives the scan transport a maxproc of
    /// at most this, so Postfix never opens more; beyond it a connection gets 421 and Postfix retries.</summary>
    public int MaxConnections { get; init; } = 20;

    /// <summary><c>max_message_size</c> in octets; larger mail is refused with 552 (Postfix bounces it). Five times
    /// Postfix's default message_size_limit.</summary>
    public long MaxMessageSize { get; init; } = 50L * 1024 * 1024;

    /// <summary><c>message_timeout</c>: scan and reinjection of one message together. Postfix waits 600 s for the
    /// reply to the end of data (smtp_data_done_timeout); answering 451 well before keeps it from giving up first
    /// and retrying a message that may already be reinjected.</summary>
    public TimeSpan MessageTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary><c>idle_timeout</c>: a silent client is dropped after this (Postfix's smtpd_timeout, 300 s).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Reads the section; throws <see cref="FormatException"/> naming the bad setting.</summary>
    public static PostfixAgentOptions From(IReadOnlyDictionary<string, string> section)
    {
        var o = new PostfixAgentOptions();
        if (section.TryGetValue("listen", out var listen))
        {
            o = o with { Listen = Endpoint("listen", listen) };
        }

        if (section.TryGetValue("reinject", out var reinject))
        {
            o = o with { Reinject = Endpoint("reinject", reinject) };
        }

        if (section.TryGetValue("max_connections", out var max))
        {
            o = o with { MaxConnections = (int)Number("max_connections", max, 1, 10_000) };
        }

        if (section.TryGetValue("max_message_size", out var size))
        {
            o = o with { MaxMessageSize = Number("max_message_size", size, 1024, 2L * 1024 * 1024 * 1024) };
        }

        if (section.TryGetValue("message_timeout", out var mt))
        {
            o = o with { MessageTimeout = TimeSpan.FromSeconds(Number("message_timeout", mt, 1, 590)) };
        }

        if (section.TryGetValue("idle_timeout", out var it))
        {
            o = o with { IdleTimeout = TimeSpan.FromSeconds(Number("idle_timeout", it, 1, 3600)) };
        }

        return o;
    }

    /// <summary>Parses <c>host:port</c>, <c>[host]:port</c> or a bare port (loopback).</summary>
    public static IPEndPoint Endpoint(string name, string value)
    {
        var v = value.Trim();
        if (int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var bare) && bare is > 0 and < 65536)
        {
            return new IPEndPoint(IPAddress.Loopback, bare);
        }

        var colon = v.LastIndexOf(':');
        if (colon > 0 && int.TryParse(v.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
        {
            var host = v[..colon].Trim('[', ']');
            if (host == "localhost")
            {
                return new IPEndPoint(IPAddress.Loopback, port);
            }

            if (IPAddress.TryParse(host, out var address))
            {
                return new IPEndPoint(address, port);
            }
        }

        throw new FormatException($"[postfix] {name}: '{value}' is not an address:port such as 127.0.0.1:10025");
    }

    private static long Number(string name, string value, long min, long max) =>
        long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"[postfix] {name}: '{value}' is not a whole number from {min} to {max}");
}
