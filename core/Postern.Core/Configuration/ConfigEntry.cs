namespace Postern.Core.Configuration;

/// <summary>One <c>name = value</c> line: the name lower-cased, the value unquoted.</summary>
public sealed record ConfigEntry(string Name, string Value, int Line);
