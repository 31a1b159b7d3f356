namespace Postern.Protocols.Smtp;

/// <summary>Checks envelope addresses before they go into a command line.</summary>
internal static class SmtpAddress
{
    /// <summary>Refuses what would break the command syntax: line breaks (command injection), angle brackets and
    /// spaces, and overlong addresses (RFC 5321 4.5.3.1.3: a path is at most 256 octets).</summary>
    public static void Check(string address)
    {
        if (address.Length > 256 || address.Any(c => char.IsControl(c) || c is '<' or '>' or ' '))
        {
            throw new ArgumentException($"not a usable envelope address: '{new string([.. address.Take(60).Select(c => char.IsControl(c) ? '?' : c)])}'", nameof(address));
        }
    }

    /// <summary>Refuses an ESMTP parameter or XFORWARD value that would break the command line.</summary>
    public static void CheckParameter(string parameter)
    {
        if (parameter.Length > 500 || parameter.Any(c => char.IsControl(c) || c == ' '))
        {
            throw new ArgumentException("not a usable ESMTP parameter", nameof(parameter));
        }
    }
}
