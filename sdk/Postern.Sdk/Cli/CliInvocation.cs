namespace Postern.Sdk.Cli;

/// <summary>The arguments and streams a <see cref="ICliVerb"/> runs with. Immutable.</summary>
/// <param name="Arguments">The arguments after the verb's path, as given.</param>
/// <param name="Input">Standard input, as bytes.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="ConfigPath">The <c>postern.conf</c> in use (from <c>-c</c>), or <c>null</c> for the embedded defaults.</param>
public sealed record CliInvocation(
    IReadOnlyList<string> Arguments,
    Stream Input,
    TextWriter Output,
    TextWriter Error,
    string? ConfigPath);
