using Microsoft.Win32.SafeHandles;

namespace Postern.Mda.Native;

/// <summary>
/// A private copy of a message in a file that has no name, so nothing is left behind whatever kills the process, and
/// the open descriptor can be handed to the next program as its standard input: in memory (<c>memfd_create</c>) up
/// to <see cref="MemoryLimit"/>, as the managed <c>Spool</c> keeps that much in memory, then moved to a file in the
/// spool directory (<c>O_TMPFILE</c>, or created 0600 and unlinked at once where the file system lacks it). Unlike the
/// managed <c>Spool</c> it never holds the message in the process's own memory: only a descriptor survives
/// <c>execv</c>. Not thread-safe.
/// </summary>
internal sealed class FdSpool : IDisposable
{
    /// <summary>The most a spool keeps in memory (the managed <c>Spool</c>'s limit, which --spool-dir documents).</summary>
    public const int MemoryLimit = 1 << 20;

    private readonly string directory;
    private SafeFileHandle handle;

    private FdSpool(string directory, SafeFileHandle handle, bool inMemory)
    {
        this.directory = directory;
        this.handle = handle;
        InMemory = inMemory;
    }

    public long Length { get; private set; }

    /// <summary>Whether the content is in an in-memory file (else a nameless file in the spool directory).</summary>
    public bool InMemory { get; private set; }

    /// <summary>Creates an empty spool; a file in <paramref name="directory"/> ($TMPDIR or /tmp when null, as the
    /// managed spool) only once the content passes <see cref="MemoryLimit"/>, or at once when the kernel has no
    /// in-memory files for us.</summary>
    public static FdSpool Create(string? directory)
    {
        var dir = directory ?? Path.GetTempPath();
        return Libc.CreateMemoryFile() is { } memory ? new(dir, memory, inMemory: true) : new(dir, Libc.CreateUnnamedFile(dir), inMemory: false);
    }

    /// <summary>Appends everything <paramref name="source"/> gives until its end.</summary>
    public void CopyFrom(Stream source, CancellationToken ct)
    {
        var buffer = new byte[81920];
        int n;
        while ((n = source.Read(buffer)) > 0)
        {
            ct.ThrowIfCancellationRequested();
            Append(buffer.AsSpan(0, n));
        }
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (InMemory && Length + data.Length > MemoryLimit)
        {
            MoveToDisk();
        }

        RandomAccess.Write(handle, data, Length);
        Length += data.Length;
    }

    private void MoveToDisk()
    {
        var file = Libc.CreateUnnamedFile(directory);
        try
        {
            var buffer = new byte[81920];
            for (long at = 0; at < Length;)
            {
                var n = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, Length - at)), at);
                if (n == 0)
                {
                    throw new IOException("the in-memory spool ended early");
                }

                RandomAccess.Write(file, buffer.AsSpan(0, n), at);
                at += n;
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }

        handle.Dispose();
        handle = file;
        InMemory = false;
    }

    /// <summary>A reader over the whole content from the start.</summary>
    public Stream OpenRead() => new Reader(this);

    /// <summary>A writer that appends.</summary>
    public Stream OpenWrite() => new Writer(this);

    /// <summary>Makes descriptor 0 this content, positioned at its first byte, for a child or an exec.</summary>
    public void BecomeStandardInput() => Libc.ReplaceStandardInput(handle);

    public void Dispose() => handle.Dispose();

    private sealed class Reader(FdSpool spool) : Stream
    {
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => spool.Length;

        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = RandomAccess.Read(spool.handle, buffer[..(int)Math.Min(buffer.Length, spool.Length - position)], position);
            position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private sealed class Writer(FdSpool spool) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => spool.Length;

        public override long Position { get => spool.Length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => spool.Append(buffer.AsSpan(offset, count));

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            spool.Append(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
