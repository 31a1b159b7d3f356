namespace Postern.Core.Quarantine;

/// <summary>What <c>quarantine list</c> selects. Addresses match whole (case-insensitive), or by domain when they
/// start with '@'; a detection matches any part of a name.</summary>
public sealed record QuarantineFilter
{
    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public string? Detection { get; init; }
}
