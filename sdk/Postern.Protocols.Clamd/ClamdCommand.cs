using System.Text;

namespace Postern.Protocols.Clamd;

/// <summary>How a command was delimited, which decides how its reply ends.</summary>
internal enum CommandForm
{
    /// <summary><c>zCOMMAND\0</c>: replies end with NUL.</summary>
    Z,

    /// <summary><c>nCOMMAND\n</c>: replies end with a newline.</summary>
    N,

    /// <summary>Bare <c>COMMAND\n</c>, the legacy form: replies end with a newline.</summary>
    Legacy,
}

/// <summary>One command read off the wire.</summary>
internal sealed record ClamdCommand(CommandForm Form, string Name, string? Argument)
{
    public byte Terminator => Form == CommandForm.Z ? (byte)0 : (byte)'\n';

    /// <summary>clamd's command table: whether it takes an argument, may come in the legacy form, may come inside an
    /// IDSESSION.</summary>
    private static readonly Dictionary<string, (bool Argument, bool Legacy, bool InSession)> Table = new(StringComparer.Ordinal)
    {
        ["PING"] = (false, true, true),
        ["VERSION"] = (false, true, true),
        ["VERSIONCOMMANDS"] = (false, false, true),
        ["RELOAD"] = (false, true, false),
        ["STATS"] = (false, true, true),
        ["SCAN"] = (true, true, true),
        ["CONTSCAN"] = (true, true, true),
        ["MULTISCAN"] = (true, true, true),
        ["ALLMATCHSCAN"] = (true, false, true),
        ["INSTREAM"] = (false, false, true),
        ["FILDES"] = (false, true, true),
        ["IDSESSION"] = (false, false, false),
        ["END"] = (false, false, true),
    };

    /// <summary>The commands VERSIONCOMMANDS lists, in clamd's order (SHUTDOWN, QUIT and the DETSTATS pair are not
    /// served: a client may not stop the daemon).</summary>
    public const string CommandList = "SCAN RELOAD PING CONTSCAN VERSIONCOMMANDS VERSION END MULTISCAN FILDES STATS IDSESSION INSTREAM ALLMATCHSCAN";

    /// <summary>Parses the bytes between the prefix and the terminator; <c>null</c> for anything clamd answers
    /// <c>UNKNOWN COMMAND</c> to (unknown name, trailing bytes, missing argument, a form the command does not take).</summary>
    public static ClamdCommand? Parse(CommandForm form, ReadOnlySpan<byte> text)
    {
        string line;
        try
        {
            line = new UTF8Encoding(false, true).GetString(text);
        }
        catch (DecoderFallbackException)
        {
            // Paths are bytes on Unix; a command word never is anything but ASCII.
            line = Encoding.Latin1.GetString(text);
        }

        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var name = space < 0 ? line : line[..space];
        if (!Table.TryGetValue(name, out var entry) || (form == CommandForm.Legacy && !entry.Legacy))
        {
            return null;
        }

        if (entry.Argument)
        {
            return space < 0 ? null : new ClamdCommand(form, name, line[(space + 1)..]);
        }

        return space < 0 ? new ClamdCommand(form, name, null) : null;
    }

    public static bool AllowedInSession(string name) => Table.TryGetValue(name, out var e) && e.InSession;
}
