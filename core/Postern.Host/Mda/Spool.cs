namespace Postern.Host.Mda;

/// <summary>
/// A private copy of a message: in memory up to <see cref="MemoryLimit"/>, then in an unlinked temp file (mode 0600,
/// deleted when disposed or when the process dies), so a huge message is never held whole in memory by the copy.
/// Not thread-safe.
/// </summary>
internal sealed class Spool : IDisposable
{
    public const int MemoryLimit = 1 << 20;

    private readonly string directory;
    private MemoryStream? memory = new();
    private FileStream? file;

    public Spool(string? directory = null)
    {
        this.directory = directory ?? Path.GetTempPath();
    }

    public long Length => memory?.Length ?? file!.Length;

    /// <summary>The writable end; switches to a file when the memory limit is passed.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        if (memory is not null && memory.Length + data.Length > MemoryLimit)
        {
            file = CreateFile();
            memory.Position = 0;
            await memory.CopyToAsync(file, ct);
            await memory.DisposeAsync();
            memory = null;
        }

        if (memory is not null)
        {
            memory.Write(data.Span);
        }
        else
        {
            await file!.WriteAsync(data, ct);
        }
    }

    public async Task CopyFromAsync(Stream source, CancellationToken ct)
    {
        var buffer = new byte[81920];
        int n;
        while ((n = await source.ReadAsync(buffer, ct)) > 0)
        {
            await WriteAsync(buffer.AsMemory(0, n), ct);
        }

        if (file is not null)
        {
            await file.FlushAsync(ct);
        }
    }

    /// <summary>A reader over the whole content from the start; one at a time.</summary>
    public Stream OpenRead()
    {
        if (memory is not null)
        {
            return new MemoryStream(memory.GetBuffer(), 0, (int)memory.Length, writable: false);
        }

        file!.Flush();
        return new FileStream(file.Name, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920);
    }

    /// <summary>The content as one block of memory (for an in-process scan); loads a file spool.</summary>
    public ReadOnlyMemory<byte> ToMemory()
    {
        if (memory is not null)
        {
            return memory.GetBuffer().AsMemory(0, (int)memory.Length);
        }

        file!.Flush();
        var bytes = new byte[file.Length];
        using var reader = OpenRead();
        reader.ReadExactly(bytes);
        return bytes;
    }

    public void Dispose()
    {
        memory?.Dispose();
        file?.Dispose();
    }

    private FileStream CreateFile()
    {
        var path = Path.Combine(directory, $"postern-mda-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.Read | FileShare.Delete,
            Options = FileOptions.DeleteOnClose,
            BufferSize = 81920,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }
}
