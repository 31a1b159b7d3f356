namespace Postern.Core.Policy;

/// <summary>Where an effective setting came from: a section of a file and the line, or the built-in default.</summary>
public sealed record SettingOrigin(string File, int Line, string Section)
{
    public static SettingOrigin Default { get; } = new("(built-in default)", 0, "");

    public override string ToString() => Line == 0 ? File : $"[{Section}] {File}:{Line}";
}
