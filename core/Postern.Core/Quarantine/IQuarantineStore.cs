using Postern.Sdk.Messages;

namespace Postern.Core.Quarantine;

/// <summary>
/// Where quarantined messages are kept. The default is files plus an SQLite index
/// (<see cref="FileQuarantineStore"/>); a PostgreSQL store can implement the same contract.
/// </summary>
/// <remarks>
/// <para>Durability: <see cref="StoreAsync"/> returns only once the item is durable and listed; if it throws, no item
/// is visible and the caller must not tell the MTA the message was taken (defer it).</para>
/// <para>Threading: thread-safe. Ids are validated with <see cref="QuarantineId.IsValid"/>; an invalid id is "not found".</para>
/// </remarks>
public interface IQuarantineStore : IAsyncDisposable
{
    ValueTask<QuarantineItem> StoreAsync(Envelope envelope, ReadOnlyMemory<byte> message, string status, IReadOnlyList<string> detections,
        string reason, CancellationToken cancellationToken);

    ValueTask<QuarantineItem?> GetAsync(string id, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<QuarantineItem>> ListAsync(QuarantineFilter filter, CancellationToken cancellationToken);

    /// <summary>The message exactly as it was received; null when there is no such item.</summary>
    ValueTask<byte[]?> ReadMessageAsync(string id, CancellationToken cancellationToken);

    ValueTask<bool> MarkReleasedAsync(string id, DateTimeOffset when, CancellationToken cancellationToken);

    ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken);
}
