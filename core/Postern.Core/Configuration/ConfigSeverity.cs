namespace Postern.Core.Configuration;

/// <summary>How bad a configuration problem is: errors stop <c>postern serve</c>, warnings are logged.</summary>
public enum ConfigSeverity
{
    Warning,
    Error,
}
