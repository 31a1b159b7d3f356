namespace Postern.Core.Policy;

/// <summary>One setting's value for a message or recipient, and where it came from.</summary>
public sealed record EffectiveSetting(string Name, string Value, SettingOrigin Origin);
