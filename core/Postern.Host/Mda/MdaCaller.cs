namespace Postern.Host.Mda;

/// <summary>Which MTA runs <c>postern mda</c>: decides the exit codes for what Postern itself decides (the real MDA's
/// own status is passed through unchanged). See the table in README.md and protocols.md §11.</summary>
internal enum MdaCaller
{
    /// <summary>Postfix local(8) mailbox_command or pipe(8): sysexits; 75 and 71 temporary, 77 gives 5.7.0.</summary>
    Postfix,

    /// <summary>Exim pipe transport: temp_errors (default 73:75) temporary, any other non-zero a hard error.</summary>
    Exim,

    /// <summary>Sendmail local mailer: 75 queues, other sysexits bounce.</summary>
    Sendmail,

    /// <summary>qmail-local .qmail |command: 111 temporary, 100 permanent, 99 success and stop.</summary>
    Qmail,
}

/// <summary>The exit codes per caller.</summary>
internal static class MdaExitCodes
{
    /// <summary>Try again later: EX_TEMPFAIL (75), qmail 111.</summary>
    public static int TempFail(MdaCaller caller) => caller == MdaCaller.Qmail ? 111 : 75;

    /// <summary>Refuse permanently: Postfix and Exim 77 (EX_NOPERM, Postfix maps it to 5.7.0), Sendmail 69
    /// (EX_UNAVAILABLE), qmail 100.</summary>
    public static int Reject(MdaCaller caller) => caller switch
    {
        MdaCaller.Qmail => 100,
        MdaCaller.Sendmail => 69,
        _ => 77,
    };

    /// <summary>Taken and dropped: 0; qmail 99 (success, and skip the rest of the .qmail file, so a forward line
    /// after us does not deliver what was discarded).</summary>
    public static int Discard(MdaCaller caller) => caller == MdaCaller.Qmail ? 99 : 0;

    /// <summary>The real MDA's status as the caller should see it: passed through, except that a death by signal
    /// (.NET reports 128 + signal) or a status no sysexits reader knows above 127 becomes a temporary failure, so an MDA
    /// killed by the OOM killer does not bounce the mail.</summary>
    public static int FromMda(MdaCaller caller, int status) => status >= 128 ? TempFail(caller) : status;

    public static MdaCaller? Parse(string text) => text.ToLowerInvariant() switch
    {
        "postfix" => MdaCaller.Postfix,
        "exim" => MdaCaller.Exim,
        "sendmail" => MdaCaller.Sendmail,
        "qmail" => MdaCaller.Qmail,
        _ => null,
    };
}
