using System.Globalization;
using System.Text;

namespace Postern.Core.Logging;

/// <summary>Builds one syslog datagram. Control characters in the message become spaces so a sender's text can
/// never forge a second log line.</summary>
public sealed class SyslogFormatter(SyslogFormat format, int facility, string ident, string host, int pid)
{
    // Datagrams past this are cut: RFC 5424 6.1 requires receivers to take 480 octets and should take 2048; rsyslog's
    // default maxMessageSize is 8k.
    public const int MaxBytes = 8192;

    public byte[] Format(int severity, DateTimeOffset time, string eventName, string message)
    {
        var pri = (facility * 8) + severity;
        var clean = Clean(message);
        var text = format == SyslogFormat.Rfc3164
            ? $"<{pri}>{time.ToLocalTime().ToString("MMM ", CultureInfo.InvariantCulture)}{time.ToLocalTime().Day,2}{time.ToLocalTime().ToString(" HH:mm:ss", CultureInfo.InvariantCulture)} {host} {ident}[{pid}]: {clean}"
            : $"<{pri}>1 {time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)} {Field(host)} {Field(ident)} {pid} {Field(eventName)} - {clean}";
        var bytes = Encoding.UTF8.GetBytes(text);
        return bytes.Length <= MaxBytes ? bytes : bytes[..MaxBytes];
    }

    private static string Clean(string s) => string.Create(s.Length, s, (span, src) =>
    {
        for (var i = 0; i < src.Length; i++)
        {
            span[i] = char.IsControl(src[i]) ? ' ' : src[i];
        }
    });

    private static string Field(string s) => s.Length == 0 ? "-" : new string([.. s.Take(48).Select(c => c is > ' ' and <= '~' ? c : '_')]);
}
