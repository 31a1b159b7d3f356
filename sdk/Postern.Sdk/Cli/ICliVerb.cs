namespace Postern.Sdk.Cli;

/// <summary>
/// A command a plugin adds to the <c>postern</c> executable, such as <c>postern setup postfix</c> or
/// <c>postern qmail-queue</c>.
/// </summary>
/// <remarks>
/// <para>Threading: the host runs one verb per process, on one thread.</para>
/// <para>Errors: the return value is the process exit code, which callers such as qmail or an MDA interpret; choose it
/// with care. An exception that escapes is reported on standard error and gives exit code 70 (EX_SOFTWARE) unless the
/// verb's <see cref="FailureExitCode"/> says otherwise, so a verb that an MTA runs should catch its own failures and
/// return the code its caller reads as a temporary failure.</para>
/// </remarks>
public interface ICliVerb
{
    /// <summary>The words that select the verb: <c>["setup", "postfix"]</c>.</summary>
    IReadOnlyList<string> Path { get; }

    /// <summary>One line for <c>postern --help</c>.</summary>
    string Description { get; }

    /// <summary>The exit code used when the verb throws; 75 (EX_TEMPFAIL) for verbs that MTAs call.</summary>
    int FailureExitCode => 70;

    /// <summary>Runs the verb with the arguments that follow its path.</summary>
    /// <param name="invocation">Arguments and the process's standard streams.</param>
    /// <param name="cancellationToken">Fires on SIGINT/SIGTERM.</param>
    /// <returns>The exit code.</returns>
    Task<int> RunAsync(CliInvocation invocation, CancellationToken cancellationToken);
}
