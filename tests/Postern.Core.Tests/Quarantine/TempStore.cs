using Postern.Core.Quarantine;
using Postern.Sdk.Messages;

namespace Postern.Core.Tests.Quarantine;

/// <summary>A quarantine in a temp folder, removed afterwards.</summary>
internal sealed class TempStore : IAsyncDisposable
{
    public TempStore(TimeProvider? time = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("postern-quarantine-").FullName;
        Time = time ?? new ManualTime(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        Store = FileQuarantineStore.Open(Directory, Time);
    }

    public string Directory { get; }

    public TimeProvider Time { get; }

    public FileQuarantineStore Store { get; private set; }

    public string Items => Path.Combine(Directory, "items");

    public static Envelope Envelope(string sender = "a@x.example", params string[] recipients) =>
        new(sender, recipients.Length == 0 ? ["b@example.org"] : [.. recipients], QueueId: "4ABC", Agent: "postfix");

    public async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = FileQuarantineStore.Open(Directory, Time);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
