using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Postern.Protocols.Milter;

/// <summary>
/// Where a milter listens, in either MTA's spelling: <c>unix:/path</c> or <c>local:/path</c> (a unix socket),
/// <c>inet:host:port</c> (Postfix), <c>inet:port@host</c> (Sendmail), <c>inet6:[addr]:port</c> / <c>inet6:port@addr</c>.
/// Immutable.
/// </summary>
public sealed record MilterEndpoint(EndPoint EndPoint, string Text)
{
    /// <summary>Whether it is a unix socket.</summary>
    public bool IsUnix => EndPoint is UnixDomainSocketEndPoint;

    /// <summary>The socket path of a unix endpoint.</summary>
    public string? Path => IsUnix ? Text[(Text.IndexOf(':', StringComparison.Ordinal) + 1)..] : null;

    /// <summary>Parses a specification; a relative unix path is taken under <paramref name="runDirectory"/>.</summary>
    public static bool TryParse(string spec, string runDirectory, out MilterEndpoint endpoint, out string error)
    {
        endpoint = null!;
        error = "";
        var s = spec.Trim();
        var colon = s.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon < 0 ? "" : s[..colon].ToLowerInvariant();
        var rest = colon < 0 ? s : s[(colon + 1)..];
        if (scheme is "unix" or "local")
        {
            if (rest.Length == 0)
            {
                error = $"'{spec}': no socket path";
                return false;
            }

            var path = System.IO.Path.IsPathRooted(rest) ? rest : System.IO.Path.Combine(runDirectory, rest);
            endpoint = new MilterEndpoint(new UnixDomainSocketEndPoint(path), "unix:" + path);
            return true;
        }

        if (scheme is not ("inet" or "inet6"))
        {
            error = $"'{spec}': not unix:PATH, inet:HOST:PORT or inet:PORT@HOST";
            return false;
        }

        string host, port;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            (port, host) = (rest[..at], rest[(at + 1)..]);
        }
        else
        {
            var last = rest.LastIndexOf(':');
            if (last < 0)
            {
                error = $"'{spec}': no port";
                return false;
            }

            (host, port) = (rest[..last], rest[(last + 1)..]);
        }

        host = host.Trim('[', ']');
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 65535)
        {
            error = $"'{spec}': '{port}' is not a port";
            return false;
        }

        if (host.Length == 0 || host == "*")
        {
            host = scheme == "inet6" ? "::" : "0.0.0.0";
        }
        else if (host == "localhost")
        {
            host = scheme == "inet6" ? "::1" : "127.0.0.1";
        }

        if (!IPAddress.TryParse(host, out var address))
        {
            error = $"'{spec}': '{host}' is not an IP address";
            return false;
        }

        endpoint = new MilterEndpoint(new IPEndPoint(address, p), $"inet:{(address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address)}:{p}");
        return true;
    }
}
