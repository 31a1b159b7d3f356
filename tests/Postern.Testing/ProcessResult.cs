namespace Postern.Testing;

/// <summary>What a finished child process left. Immutable.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Stdout">Everything it wrote to standard output.</param>
/// <param name="Stderr">Everything it wrote to standard error.</param>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    /// <inheritdoc/>
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
