using System.Collections.Immutable;

namespace Postern.Protocols.Milter;

/// <summary>What the MTA said about the SMTP client at CONNECT.</summary>
/// <param name="HostName">The client's host name as the MTA resolved it (or its address in brackets).</param>
/// <param name="Family">'4', '6', 'L' (unix socket) or 'U' (unknown).</param>
/// <param name="Port">The client's port (0 when not given).</param>
/// <param name="Address">The client's address or socket path; empty for family 'U'.</param>
public sealed record MilterConnectInfo(string HostName, char Family, int Port, string Address);

/// <summary>One header as the MTA sent it: the value is the milter form (lines joined by a bare LF, leading space
/// kept when <see cref="MilterMessage.HeaderLeadingSpace"/> is set).</summary>
/// <param name="Name">The field name.</param>
/// <param name="Value">The value bytes as Latin-1 text.</param>
public sealed record MilterHeader(string Name, string Value);

/// <summary>
/// One SMTP transaction as a milter session collected it, handed to <see cref="IMilterHandler"/>. Owned by its session:
/// read it only during the handler call; not thread-safe.
/// </summary>
public sealed class MilterMessage
{
    private readonly Dictionary<char, Dictionary<string, string>> macros = [];

    internal MilterMessage(MessageBuffer body) => Body = body;

    /// <summary>The CONNECT information, when the MTA sent it.</summary>
    public MilterConnectInfo? Connect { get; internal set; }

    /// <summary>The HELO/EHLO argument, when the MTA sent it.</summary>
    public string? Helo { get; internal set; }

    /// <summary>MAIL FROM: the sender as sent (usually in angle brackets), then ESMTP arguments.</summary>
    public ImmutableArray<string> MailArgs { get; internal set; } = [];

    /// <summary>RCPT TO: one entry per recipient, each the address as sent then its ESMTP arguments.</summary>
    public List<ImmutableArray<string>> RecipientArgs { get; } = [];

    /// <summary>The headers in the order received.</summary>
    public List<MilterHeader> Headers { get; } = [];

    /// <summary>Header bytes received (names and values), for the limit.</summary>
    public long HeaderBytes { get; internal set; }

    /// <summary>An upper bound of the header block as the MTA stores it (each header's name, ": ", the value with every
    /// line end doubled, CRLF; then the empty line), from the bytes counted as the headers came in.</summary>
    internal long HeaderBlockBound => (2 * HeaderBytes) + (4L * Headers.Count) + 2;

    /// <summary>The ESMTP SIZE among MAIL's arguments (RFC 1870), 0 when absent or malformed: a hint only.</summary>
    public long DeclaredSize
    {
        get
        {
            foreach (var arg in MailArgs.IsDefaultOrEmpty ? [] : MailArgs.AsSpan()[1..])
            {
                if (arg.StartsWith("SIZE=", StringComparison.OrdinalIgnoreCase) && long.TryParse(arg.AsSpan(5), out var size) && size > 0)
                {
                    return size;
                }
            }

            return 0;
        }
    }

    /// <summary>The body (CRLF line ends, as the MTA sends it), bounded.</summary>
    public MessageBuffer Body { get; }

    /// <summary>Why this message cannot be handled whole (a limit it went past), or <c>null</c>.</summary>
    public string? Overflow { get; internal set; }

    /// <summary>Whether SMFIP_HDR_LEADSPC is in force: header values carry their leading whitespace, both ways.</summary>
    public bool HeaderLeadingSpace { get; internal set; }

    /// <summary>The actions the MTA agreed this session may use.</summary>
    public MilterActions Actions { get; internal set; }

    /// <summary>The sender without angle brackets ("" for the null sender).</summary>
    public string Sender => MailArgs.IsDefaultOrEmpty ? "" : StripBrackets(MailArgs[0]);

    /// <summary>Looks a macro up by name in either form (<c>i</c>, <c>{i}</c>, <c>{client_addr}</c>), latest stage first.</summary>
    public string? Macro(string name)
    {
        var key = Normalize(name);
        foreach (var stage in "ENTRMHC")
        {
            if (macros.TryGetValue(stage, out var set) && set.TryGetValue(key, out var value))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Removes angle brackets around an address (<c>&lt;a@b&gt;</c> → <c>a@b</c>).</summary>
    public static string StripBrackets(string address)
    {
        var a = address.Trim();
        return a.Length >= 2 && a[0] == '<' && a[^1] == '>' ? a[1..^1] : a;
    }

    internal void SetMacros(char stage, List<string> pairs)
    {
        var set = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < pairs.Count; i += 2)
        {
            set[Normalize(pairs[i])] = pairs[i + 1];
        }

        macros[stage] = set;
    }

    internal void ResetMessage(bool keepMailMacros = false)
    {
        MailArgs = [];
        RecipientArgs.Clear();
        Headers.Clear();
        HeaderBytes = 0;
        Body.Reset();
        Overflow = null;
        foreach (var stage in keepMailMacros ? "RTNE" : "MRTNE")
        {
            macros.Remove(stage);
        }
    }

    internal void ResetConnection()
    {
        ResetMessage();
        macros.Clear();
        Connect = null;
        Helo = null;
    }

    private static string Normalize(string name) =>
        name.Length > 2 && name[0] == '{' && name[^1] == '}' ? name[1..^1] : name;
}
