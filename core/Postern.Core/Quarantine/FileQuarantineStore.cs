using Postern.Sdk.Messages;

namespace Postern.Core.Quarantine;

/// <summary>
/// The default quarantine: <c>items/&lt;id&gt;.pq</c> files (<see cref="QuarantineFileFormat"/>) written with
/// <see cref="DurableFile"/>, and an SQLite index. A crash at any point leaves either no file (nothing was promised),
/// a temp file (removed at the next open), or a complete file whose row may be missing (added at the next open).
/// </summary>
public sealed class FileQuarantineStore : IQuarantineStore
{
    private readonly string items;
    private readonly QuarantineIndex index;
    private readonly TimeProvider time;

    private FileQuarantineStore(string items, QuarantineIndex index, TimeProvider time)
    {
        this.items = items;
        this.index = index;
        this.time = time;
    }

    /// <summary>Opens (creating, mode 0700) the store in <paramref name="directory"/> and reconciles files and index.</summary>
    public static FileQuarantineStore Open(string directory, TimeProvider time)
    {
        var items = Path.Combine(directory, "items");
        Create(directory);
        Create(items);
        var store = new FileQuarantineStore(items, new QuarantineIndex(Path.Combine(directory, "index.db")), time);
        store.Reconcile();
        return store;
    }

    /// <summary>What the last open found and repaired.</summary>
    public ReconcileReport LastReconcile { get; private set; } = new(0, 0, 0);

    public ValueTask<QuarantineItem> StoreAsync(Envelope envelope, ReadOnlyMemory<byte> message, string status, IReadOnlyList<string> detections,
        string reason, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var item = new QuarantineItem
        {
            Id = QuarantineId.New(),
            Received = time.GetUtcNow(),
            Sender = envelope.Sender,
            Recipients = envelope.Recipients.IsDefault ? [] : envelope.Recipients,
            QueueId = envelope.QueueId,
            Agent = envelope.Agent,
            Status = status,
            Detections = [.. detections],
            Reason = reason,
            Size = message.Length,
            Sha256 = QuarantineFileFormat.Sha256(message.Span),
        };
        DurableFile.Write(items, item.Id + QuarantineFileFormat.Extension, s => QuarantineFileFormat.Write(s, item, message.Span));
        index.Insert(item);
        return ValueTask.FromResult(item);
    }

    public ValueTask<QuarantineItem?> GetAsync(string id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(QuarantineId.IsValid(id) && index.Query(new QuarantineFilter(), id) is [var item, ..] ? item : null);

    public ValueTask<IReadOnlyList<QuarantineItem>> ListAsync(QuarantineFilter filter, CancellationToken cancellationToken) =>
        ValueTask.FromResult(index.Query(filter));

    public ValueTask<byte[]?> ReadMessageAsync(string id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(QuarantineId.IsValid(id) ? QuarantineFileFormat.Read(FileOf(id))?.Message : null);

    public ValueTask<bool> MarkReleasedAsync(string id, DateTimeOffset when, CancellationToken cancellationToken) =>
        ValueTask.FromResult(QuarantineId.IsValid(id) && index.SetReleased(id, when));

    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (!QuarantineId.IsValid(id))
        {
            return ValueTask.FromResult(false);
        }

        // Row first: a crash between the two leaves a file without a row, which the next open indexes again
        // rather than a row pointing at nothing.
        var had = index.Delete(id);
        var path = FileOf(id);
        var existed = File.Exists(path);
        File.Delete(path);
        DurableFile.SyncDirectory(items);
        return ValueTask.FromResult(had || existed);
    }

    public ValueTask DisposeAsync()
    {
        index.Dispose();
        return ValueTask.CompletedTask;
    }

    private string FileOf(string id) => Path.Combine(items, id + QuarantineFileFormat.Extension);

    private void Reconcile()
    {
        var temps = 0;
        foreach (var temp in Directory.EnumerateFiles(items, DurableFile.TempPrefix + "*"))
        {
            File.Delete(temp);
            temps++;
        }

        var rows = index.Ids().ToHashSet(StringComparer.Ordinal);
        var indexed = 0;
        foreach (var file in Directory.EnumerateFiles(items, "*" + QuarantineFileFormat.Extension))
        {
            var id = Path.GetFileNameWithoutExtension(file);
            if (rows.Remove(id) || !QuarantineId.IsValid(id))
            {
                continue;
            }

            if (QuarantineFileFormat.Read(file) is { } read && read.Item.Id == id)
            {
                index.Insert(read.Item);
                indexed++;
            }
        }

        foreach (var orphan in rows)
        {
            index.Delete(orphan);
        }

        LastReconcile = new ReconcileReport(temps, indexed, rows.Count);
    }

    private static void Create(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }

        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
