using System.Collections.Immutable;

namespace Postern.Core.Quarantine;

/// <summary>One quarantined message's envelope and verdict, as stored beside its bytes and in the index.</summary>
public sealed record QuarantineItem
{
    public required string Id { get; init; }

    public required DateTimeOffset Received { get; init; }

    public required string Sender { get; init; }

    public required ImmutableArray<string> Recipients { get; init; }

    public string? QueueId { get; init; }

    public string Agent { get; init; } = "";

    /// <summary>infected, notscanned or deleted (cleaned: the original is what is kept).</summary>
    public required string Status { get; init; }

    public ImmutableArray<string> Detections { get; init; } = [];

    public string Reason { get; init; } = "";

    public long Size { get; init; }

    /// <summary>SHA-256 of the message bytes, hex, to prove the file is the one written.</summary>
    public string Sha256 { get; init; } = "";

    public DateTimeOffset? Released { get; init; }
}
