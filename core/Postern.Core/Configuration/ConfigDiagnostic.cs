namespace Postern.Core.Configuration;

/// <summary>A problem found in a configuration file, with the place it was found.</summary>
public sealed record ConfigDiagnostic(ConfigSeverity Severity, string File, int Line, string Message)
{
    /// <summary>The compiler-style form admins can jump to: <c>postern.conf:12: error: ...</c>.</summary>
    public override string ToString() =>
        $"{File}:{Line}: {(Severity == ConfigSeverity.Error ? "error" : "warning")}: {Message}";
}
