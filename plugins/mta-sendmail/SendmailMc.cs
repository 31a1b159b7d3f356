using System.Net;
using Postern.Protocols.Milter;

namespace Postern.Plugins.Mta.Sendmail;

/// <summary>
/// The edit <c>postern setup sendmail</c> makes to sendmail.mc: one <c>INPUT_MAIL_FILTER(`postern', ...)</c> line
/// (with a <c>dnl</c> comment above it) before the first <c>MAILER(</c> line, or at the end. Idempotent: a file that
/// already has the line gets it replaced in place when it differs, and is returned unchanged when it does not. Every
/// other byte (the admin's comments, layout, line ends) is kept. Pure; thread-safe.
/// </summary>
public static class SendmailMc
{
    /// <summary>The filter's name in sendmail.cf (<c>Xpostern</c>).</summary>
    public const string FilterName = "postern";

    /// <summary>Flags and timeouts: tempfail when Postern is unreachable or fails (F=T); the timeouts sit below
    /// Postern's own message time limit plus its PROGRESS interval, and E (end of message to final reply) above it.</summary>
    public const string Options = "F=T, T=C:30s;S:30s;R:2m;E:5m";

    private const string Comment = "dnl # Postern virus scanner (postern setup sendmail; --uninstall removes it)";

    /// <summary>Sendmail's spelling of a milter endpoint: <c>local:/path</c> or <c>inet:port@host</c> / <c>inet6:port@host</c>.</summary>
    public static string SocketSpec(MilterEndpoint endpoint) => endpoint.EndPoint switch
    {
        IPEndPoint ip => $"{(ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "inet6" : "inet")}:{ip.Port}@{ip.Address}",
        _ => "local:" + endpoint.Path,
    };

    /// <summary>The INPUT_MAIL_FILTER line for <paramref name="socket"/>.</summary>
    public static string FilterLine(string socket) => $"INPUT_MAIL_FILTER(`{FilterName}', `S={socket}, {Options}')dnl";

    /// <summary>The line m4 makes of <see cref="FilterLine"/> in sendmail.cf.</summary>
    public static string CfLine(string socket) => $"X{FilterName}, S={socket}, {Options}";

    /// <summary>Adds or updates the filter line.</summary>
    public static string AddFilter(string mc, string socket)
    {
        var newline = mc.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = mc.Split('\n').ToList();
        var line = FilterLine(socket);
        var existing = lines.FindIndex(IsOurs);
        if (existing >= 0)
        {
            var cr = lines[existing].EndsWith('\r') ? "\r" : "";
            lines[existing] = line + cr;
            return string.Join('\n', lines);
        }

        var at = lines.FindIndex(l => l.TrimStart().StartsWith("MAILER(", StringComparison.Ordinal) || l.TrimStart().StartsWith("MAILER_DEFINITIONS", StringComparison.Ordinal));
        if (at < 0)
        {
            var body = mc.Length == 0 || mc.EndsWith('\n') ? mc : mc + newline;
            return body + Comment + newline + line + newline;
        }

        var eol = lines[at].EndsWith('\r') ? "\r" : "";
        lines.Insert(at, line + eol);
        lines.Insert(at, Comment + eol);
        return string.Join('\n', lines);
    }

    /// <summary>Whether the file has our filter line.</summary>
    public static bool HasFilter(string mc) => mc.Split('\n').Any(IsOurs);

    private static bool IsOurs(string line) =>
        line.TrimStart().StartsWith($"INPUT_MAIL_FILTER(`{FilterName}'", StringComparison.Ordinal);
}
