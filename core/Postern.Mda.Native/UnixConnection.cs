namespace Postern.Mda.Native;

/// <summary>
/// A blocking connection to the daemon's unix socket made with plain system calls, for
/// <see cref="Postern.Protocols.Local.LocalClient.Exchange"/>: System.Net.Sockets would start its event thread (epoll)
/// for the first socket of the process, even one only ever used with blocking calls. Before each call the socket's
/// send and receive timeouts are set to what is left of the exchange's deadline; <see cref="Abort"/> (the signal's
/// cancellation) shuts it down under a blocked call. Not thread-safe, except <see cref="Abort"/>.
/// </summary>
internal sealed class UnixConnection : Stream
{
    private readonly int fd;
    private readonly long deadline;
    private readonly string path;
    private int armedMs = -1;
    private bool disposed;

    private UnixConnection(int fd, long deadline, string path)
    {
        this.fd = fd;
        this.deadline = deadline;
        this.path = path;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Connects to <paramref name="socketPath"/>; returns null with the errno when nobody answers there
    /// (missing, refused, no permission): nothing was sent.</summary>
    public static UnixConnection? Connect(string socketPath, TimeSpan limit, out int errno)
    {
        var c = new UnixConnection(Libc.UnixSocket(), Environment.TickCount64 + (long)limit.TotalMilliseconds, socketPath);
        c.Arm();
        errno = Libc.Connect(c.fd, socketPath);
        if (errno == 0)
        {
            return c;
        }

        c.Dispose();
        return null;
    }

    public void Abort() => Libc.Shutdown(fd);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        Arm();
        var n = Libc.Receive(fd, buffer, out var errno);
        return n >= 0 ? n : throw Failure("receive", errno);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            Arm();
            var n = Libc.Send(fd, buffer, out var errno);
            if (n < 0)
            {
                throw Failure("send", errno);
            }

            buffer = buffer[n..];
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (!disposed)
        {
            disposed = true;
            Libc.Close(fd);
        }

        base.Dispose(disposing);
    }

    private void Arm()
    {
        var left = deadline - Environment.TickCount64;
        if (left <= 0)
        {
            throw new TimeoutException($"the daemon at {path} did not answer in time");
        }

        // Whole milliseconds, at least one (zero would mean no timeout at all); set again only when it moved.
        var ms = (int)Math.Clamp(left, 1, int.MaxValue);
        if (armedMs < 0 || armedMs - ms >= 1000 || ms < 1000)
        {
            Libc.SetTimeouts(fd, ms);
            armedMs = ms;
        }
    }

    private Exception Failure(string what, int errno) => errno == Libc.EAgain
        ? new TimeoutException($"the daemon at {path} did not answer in time")
        : new IOException($"cannot {what} on {path}: {Libc.Describe(errno)}");
}
