namespace Postern.Plugins.Mta.Qmail;

/// <summary>The <c>[qmail]</c> settings. Immutable.</summary>
internal sealed record QmailSettings(string RealQueue, int CustomErrorFd, string TempDirectory)
{
    /// <summary>Where <c>postern setup qmail</c> moves the original qmail-queue.</summary>
    public const string DefaultRealQueue = "/var/qmail/bin/qmail-queue-postern-orig";

    public static QmailSettings From(IReadOnlyDictionary<string, string> section)
    {
        var fd = section.TryGetValue("custom_error_fd", out var text) && int.TryParse(text, out var n) && n is 0 or (>= 3 and <= 255) ? n : 6;
        return new QmailSettings(
            section.GetValueOrDefault("real_qmail_queue") is { Length: > 0 } real ? real : DefaultRealQueue,
            fd,
            section.GetValueOrDefault("temp_dir") is { Length: > 0 } dir ? dir : Path.GetTempPath());
    }
}
