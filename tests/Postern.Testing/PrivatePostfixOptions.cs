namespace Postern.Testing;

/// <summary>How a <see cref="PrivatePostfix"/> is laid out. Immutable.</summary>
public sealed record PrivatePostfixOptions
{
    /// <summary>The port of the instance's own smtpd on 127.0.0.1 (where tests send mail). Required.</summary>
    public required int SmtpPort { get; init; }

    /// <summary>Where every message goes next: the relayhost [127.0.0.1]:RelayPort (a <see cref="RecordingSmtpSink"/>).</summary>
    public required int RelayPort { get; init; }

    /// <summary>Lines appended to main.cf.</summary>
    public string ExtraMain { get; init; } = "";

    /// <summary>Lines appended to master.cf.</summary>
    public string ExtraMaster { get; init; } = "";

    /// <summary>The syslog_name and the prefix of the temp directory.</summary>
    public string Name { get; init; } = "postfix-test";
}
