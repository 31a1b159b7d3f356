namespace Postern.Core.Logging;

/// <summary>The wire format of syslog datagrams.</summary>
public enum SyslogFormat
{
    /// <summary>BSD syslog: <c>&lt;PRI&gt;Mmm dd hh:mm:ss host ident[pid]: message</c>; what /dev/log readers expect.</summary>
    Rfc3164,

    /// <summary><c>&lt;PRI&gt;1 TIMESTAMP HOST APP PROCID MSGID - message</c>.</summary>
    Rfc5424,
}
