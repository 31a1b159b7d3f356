using Postern.Sdk.Messages;

namespace Postern.Core.Quarantine;

/// <summary>Opens the file store on first use, so a process that never quarantines (a CLI scan as an ordinary user)
/// never touches the quarantine directory. A store that cannot be opened throws <see cref="IOException"/> on each
/// use, which the dispatcher turns into a tempfail.</summary>
public sealed class LazyQuarantineStore(string directory, TimeProvider time) : IQuarantineStore
{
    private readonly Lazy<FileQuarantineStore> store = new(() => Open(directory, time), LazyThreadSafetyMode.ExecutionAndPublication);

    public ValueTask<QuarantineItem> StoreAsync(Envelope envelope, ReadOnlyMemory<byte> message, string status, IReadOnlyList<string> detections,
        string reason, CancellationToken cancellationToken) => store.Value.StoreAsync(envelope, message, status, detections, reason, cancellationToken);

    public ValueTask<QuarantineItem?> GetAsync(string id, CancellationToken cancellationToken) => store.Value.GetAsync(id, cancellationToken);

    public ValueTask<IReadOnlyList<QuarantineItem>> ListAsync(QuarantineFilter filter, CancellationToken cancellationToken) =>
        store.Value.ListAsync(filter, cancellationToken);

    public ValueTask<byte[]?> ReadMessageAsync(string id, CancellationToken cancellationToken) => store.Value.ReadMessageAsync(id, cancellationToken);

    public ValueTask<bool> MarkReleasedAsync(string id, DateTimeOffset when, CancellationToken cancellationToken) =>
        store.Value.MarkReleasedAsync(id, when, cancellationToken);

    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken) => store.Value.DeleteAsync(id, cancellationToken);

    public ValueTask DisposeAsync() => store.IsValueCreated ? store.Value.DisposeAsync() : ValueTask.CompletedTask;

    private static FileQuarantineStore Open(string directory, TimeProvider time)
    {
        try
        {
            return FileQuarantineStore.Open(directory, time);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            throw new IOException($"cannot open the quarantine in {directory}: {e.Message}", e);
        }
    }
}
