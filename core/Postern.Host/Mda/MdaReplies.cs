using Postern.Protocols.Local;
using Postern.Sdk.Messages;

namespace Postern.Host.Mda;

/// <summary>
/// What <c>postern mda</c> tells its caller: the exit code for a decision and the lines on standard output (Postfix
/// pipe(8) reads a leading <c>5.7.1</c>/<c>4.3.0</c> as the DSN) and standard error. Compiled into both the managed verb
/// and the native <c>postern-mda</c>, so the two cannot drift apart.
/// </summary>
internal static class MdaReplies
{
    /// <summary>A command line that cannot be used: printed on standard error before the temporary failure.</summary>
    public static string UsageError(string error) => $"postern mda: {error}\n{MdaOptions.Usage}";

    /// <summary>Any failure of Postern's own, at the outermost boundary.</summary>
    public static string Failure(Exception e) => $"postern mda: temporary failure: {e.GetType().Name}: {e.Message}";

    public static string CannotRun(string program, string why) => $"postern mda: cannot run {program}: {why}";

    /// <summary>The reason given when a daemon that took the connection failed: the outcome is unknown.</summary>
    public static string DaemonFailed(Exception e) => $"postern daemon: {e.Message}";

    /// <summary>Answers a decision that is not Accept: writes its line and returns the exit code; returns null for
    /// Accept (the message goes to the real MDA).</summary>
    public static int? Conclude(MdaCaller caller, LocalDecision decision, TextWriter stdout, TextWriter stderr)
    {
        switch (decision.Strictest)
        {
            case DecisionAction.Accept:
                return null;
            case DecisionAction.Discard:
                return MdaExitCodes.Discard(caller);
            case DecisionAction.Reject:
                stdout.WriteLine($"{(caller == MdaCaller.Postfix ? "5.7.1 " : "")}Message refused by Postern: {Reason(decision, DecisionAction.Reject)}");
                return MdaExitCodes.Reject(caller);
            default:
                return Defer(caller, Reason(decision, DecisionAction.Defer), stdout, stderr);
        }
    }

    /// <summary>Writes the temporary-failure line and returns the caller's temporary code.</summary>
    public static int Defer(MdaCaller caller, string reason, TextWriter stdout, TextWriter stderr)
    {
        stderr.Flush();
        stdout.WriteLine($"{(caller == MdaCaller.Postfix ? "4.3.0 " : "")}Postern: temporary failure: {reason}");
        return MdaExitCodes.TempFail(caller);
    }

    private static string Reason(LocalDecision decision, DecisionAction action) =>
        decision.Recipients.FirstOrDefault(r => r.Action == action)?.Reason is { Length: > 0 } reason ? reason
        : decision.Report.Findings.Select(f => f.Name).FirstOrDefault() ?? decision.Report.Status.ToString();
}
