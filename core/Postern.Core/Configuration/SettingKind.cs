namespace Postern.Core.Configuration;

/// <summary>How a setting's value is read.</summary>
public enum SettingKind
{
    Text,
    Bool,
    Integer,
    Size,
    Duration,
    Choice,
    PathList,
}
