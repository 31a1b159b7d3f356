namespace Postern.Protocols.Smtp;

/// <summary>The argument syntax of MAIL, RCPT and XFORWARD (RFC 5321 4.1.2, RFC 1869 parameters).</summary>
internal static class SmtpSyntax
{
    /// <summary>Parses <c>FROM:&lt;a@b&gt; P1 P2</c>; the address may be empty (&lt;&gt;).</summary>
    public static bool TryPath(string arg, string prefix, out string address, out string[] parameters)
    {
        address = "";
        parameters = [];
        if (!arg.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = arg[prefix.Length..].TrimStart();
        var close = rest.IndexOf('>', StringComparison.Ordinal);
        if (!rest.StartsWith('<') || close < 0)
        {
            return false;
        }

        address = rest[1..close];
        if (address.Length > 256 || address.Any(c => c is '<' or ' ' || char.IsControl(c)))
        {
            return false;
        }

        // A source route (<@a,@b:user@c>, RFC 5321 4.1.2) is accepted and dropped, as Postfix does.
        if (address.StartsWith('@') && address.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
        {
            address = address[(colon + 1)..];
        }

        parameters = rest[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return true;
    }

    public static (string Key, string? Value) SplitParameter(string p)
    {
        var eq = p.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? (p.ToUpperInvariant(), null) : (p[..eq].ToUpperInvariant(), p[(eq + 1)..]);
    }
}
