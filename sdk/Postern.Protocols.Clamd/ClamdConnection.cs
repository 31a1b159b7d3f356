using System.Net.Sockets;

namespace Postern.Protocols.Clamd;

/// <summary>One client's socket with a read buffer. On a unix socket every read is a recvmsg, so a descriptor passed
/// with SCM_RIGHTS (FILDES) is caught whichever read brings its byte in.</summary>
internal sealed class ClamdConnection : IDisposable
{
    private const int BufferSize = 64 * 1024;
    private const int MaxPendingDescriptors = 16;

    private readonly Socket socket;
    private readonly bool unix;
    private readonly byte[] buffer = new byte[BufferSize];
    private readonly List<(int Fd, long Offset)> descriptors = [];
    private readonly List<int> received = [];
    private int start;
    private int end;
    private long consumed;
    private bool eof;

    public ClamdConnection(Socket socket)
    {
        this.socket = socket;
        unix = socket.AddressFamily == AddressFamily.Unix;
    }

    public bool IsUnix => unix;

    public int Buffered => end - start;

    public ReadOnlySpan<byte> BufferedSpan => buffer.AsSpan(start, end - start);

    public bool AtEnd => eof && Buffered == 0;

    public void Consume(int count)
    {
        start += count;
        consumed += count;
    }

    /// <summary>Reads more bytes into the buffer; false at end of stream. Throws <see cref="TimeoutException"/>
    /// when nothing comes within <paramref name="timeout"/>.</summary>
    public async ValueTask<bool> FillAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (eof)
        {
            return false;
        }

        if (start > 0 && start == end)
        {
            start = end = 0;
        }
        else if (end == buffer.Length)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }

        if (end == buffer.Length)
        {
            throw new InvalidOperationException("read buffer full");
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(timeout);
        try
        {
            int n;
            if (unix)
            {
                while (true)
                {
                    // Wait for readability with a zero-byte receive, then take the bytes and any descriptors at once.
                    await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, timer.Token);
                    received.Clear();
                    n = UnixInterop.Receive(socket.Handle, buffer.AsSpan(end), received);
                    if (n == -UnixInterop.EAgain || n == -UnixInterop.EIntr)
                    {
                        continue;
                    }

                    if (n < 0)
                    {
                        throw new IOException($"recvmsg failed: errno {-n}");
                    }

                    // Linux ends a read at the segment that carried descriptors: their carrier byte (clamdscan sends
                    // one NUL with each) is the last byte this read returned.
                    foreach (var fd in received)
                    {
                        if (descriptors.Count < MaxPendingDescriptors && n > 0)
                        {
                            descriptors.Add((fd, consumed + (end - start) + n - 1));
                        }
                        else
                        {
                            UnixInterop.Close(fd);
                        }
                    }

                    break;
                }
            }
            else
            {
                n = await socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, timer.Token);
            }

            if (n == 0)
            {
                eof = true;
                return false;
            }

            end += n;
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException();
        }
    }

    /// <summary>Reads exactly <paramref name="target"/>.Length bytes; false when the stream ends first.</summary>
    public async ValueTask<bool> ReadExactAsync(Memory<byte> target, TimeSpan timeout, CancellationToken ct)
    {
        var filled = 0;
        while (filled < target.Length)
        {
            if (Buffered == 0 && !await FillAsync(timeout, ct))
            {
                return false;
            }

            var n = Math.Min(Buffered, target.Length - filled);
            BufferedSpan[..n].CopyTo(target.Span[filled..]);
            Consume(n);
            filled += n;
        }

        return true;
    }

    /// <summary>Takes the oldest passed descriptor, skipping the byte it came with; -1 when none has come.</summary>
    public int TakeDescriptor()
    {
        if (descriptors.Count == 0)
        {
            return -1;
        }

        var (fd, offset) = descriptors[0];
        descriptors.RemoveAt(0);
        if (offset >= consumed && offset < consumed + Buffered)
        {
            // The carrier byte (clamdscan sends one NUL) is not part of the command stream.
            Consume((int)(offset - consumed) + 1);
        }

        return fd;
    }

    /// <summary>Writes a reply; throws <see cref="TimeoutException"/> when the client stops reading (an IDSESSION
    /// client that only writes would otherwise hold the connection for ever).</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, TimeSpan timeout, CancellationToken ct)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(timeout);
        try
        {
            while (!data.IsEmpty)
            {
                if (!unix)
                {
                    data = data[await socket.SendAsync(data, SocketFlags.None, timer.Token)..];
                    continue;
                }

                // The unix socket's descriptor is used directly (recvmsg), after which .NET may treat it as blocking:
                // send without blocking, and wait in short steps while the client's buffer is full.
                var n = UnixInterop.Send(socket.Handle, data.Span);
                if (n == -UnixInterop.EAgain || n == -UnixInterop.EIntr)
                {
                    await Task.Delay(5, timer.Token);
                    continue;
                }

                if (n < 0)
                {
                    throw new IOException($"send failed: errno {-n}");
                }

                data = data[n..];
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException();
        }
    }

    public void Dispose()
    {
        foreach (var (fd, _) in descriptors)
        {
            UnixInterop.Close(fd);
        }

        descriptors.Clear();
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        socket.Dispose();
    }
}
