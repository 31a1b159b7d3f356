using System.Text;
using Postern.Protocols.Smtp;

namespace Postern.Plugins.Mta.Postfix;

/// <summary>The replies the content filter gives Postfix at the end of data, and what Postfix does with each.</summary>
internal static class FilterReply
{
    /// <summary>Postfix bounces the message to its sender.</summary>
    public static SmtpReply Rejected(string reason) => new(550, "5.7.1 message rejected: " + Clean(reason));

    /// <summary>Postfix keeps the message queued and retries it.</summary>
    public static SmtpReply Deferred(string reason) => new(451, "4.7.1 message deferred, try again later: " + Clean(reason));

    /// <summary>Postfix counts the message delivered; nothing was passed on.</summary>
    public static SmtpReply Discarded(string reason) => new(250, "2.7.0 Ok: discarded: " + Clean(reason));

    /// <summary>Postfix counts the message delivered; the next hop's reply names its new queue id.</summary>
    public static SmtpReply Reinjected(SmtpReply next) => new(250, "2.0.0 Ok: scanned, reinjected: " + Clean(next.Text));

    /// <summary>A reply text Postfix accepts and logs as is: printable ASCII, one line, bounded.</summary>
    private static string Clean(string text)
    {
        var s = new StringBuilder(Math.Min(text.Length, 200));
        foreach (var c in text)
        {
            if (s.Length >= 200)
            {
                break;
            }

            s.Append(c is >= ' ' and <= '~' ? c : ' ');
        }

        return s.ToString().Trim();
    }
}
