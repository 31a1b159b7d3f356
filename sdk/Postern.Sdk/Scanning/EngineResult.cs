using System.Collections.Immutable;

namespace Postern.Sdk.Scanning;

/// <summary>
/// What one engine says of one item: findings, or why it could not judge the item. Immutable.
/// An item with findings is infected whatever else is said; an empty result with no reason is clean.
/// </summary>
/// <param name="Findings">What was found; empty when nothing was.</param>
/// <param name="NotScannedReason">Why the engine could not judge the item, or <c>null</c> when it could.</param>
public sealed record EngineResult(ImmutableArray<Finding> Findings, string? NotScannedReason)
{
    /// <summary>Nothing found, item fully judged.</summary>
    public static EngineResult Clean { get; } = new([], null);

    /// <summary>The engine found something.</summary>
    public static EngineResult Infected(params ReadOnlySpan<Finding> findings) => new([.. findings], null);

    /// <summary>The engine could not judge the item; the message can then never be called clean.</summary>
    public static EngineResult NotScanned(string reason) => new([], reason);
}
