namespace Postern.Sdk.Scanning;

/// <summary>One detection. Immutable.</summary>
/// <param name="Name">The signature or threat name, as the engine's database spells it (<c>Eicar-Test-Signature</c>).</param>
/// <param name="Engine">The <see cref="IScanEngine.Name"/> of the engine that found it.</param>
/// <param name="ItemPath">The <see cref="ScanItem.Path"/> it was found in.</param>
public sealed record Finding(string Name, string Engine, string ItemPath);
