using System.Buffers;

namespace Postern.Protocols.Smtp;

/// <summary>
/// The server's reading side: command lines and DATA, from one buffer of fixed size, each read bounded by the idle
/// timeout. Nothing here grows with the input except the message, which stops growing at its limit.
/// </summary>
internal sealed class SmtpInput(Stream stream, TimeSpan idleTimeout)
{
    private readonly byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;

    /// <summary>True when unread bytes are buffered (a pipelining client sent ahead).</summary>
    public bool HasBuffered => end > start;

    /// <summary>Reads a command line up to LF, without its CR LF; null at the end of the stream. A line longer than
    /// <paramref name="maxLength"/> is read to its end and reported as <see cref="CommandLine.TooLong"/>.</summary>
    public async Task<CommandLine?> ReadCommandAsync(int maxLength, CancellationToken ct)
    {
        var line = new ArrayBufferWriter<byte>(128);
        var tooLong = false;
        while (true)
        {
            var nl = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            var take = nl >= 0 ? nl : end - start;
            if (!tooLong && line.WrittenCount + take + 1 > maxLength)
            {
                tooLong = true;
            }

            if (!tooLong)
            {
                line.Write(buffer.AsSpan(start, take));
            }

            if (nl >= 0)
            {
                start += nl + 1;
                if (tooLong)
                {
                    return CommandLine.TooLong;
                }

                var bytes = line.WrittenSpan;
                if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
                {
                    bytes = bytes[..^1];
                }

                return new CommandLine(bytes.ToArray(), false);
            }

            start = end = 0;
            if (!await FillAsync(ct))
            {
                return null;
            }
        }
    }

    /// <summary>Reads DATA up to the CRLF.CRLF that ends it (RFC 5321 4.1.1.4: only CRLF.CRLF, never a bare LF or
    /// CR form) and undoes dot-stuffing. Null when the stream ends first.</summary>
    public async Task<DataResult?> ReadDataAsync(long maxSize, int maxLine, BareLineEndingPolicy bare, CancellationToken ct)
    {
        var reader = new DataReader(maxSize, maxLine, bare == BareLineEndingPolicy.Normalize);
        while (true)
        {
            var used = reader.Feed(buffer.AsSpan(start, end - start));
            start += used;
            if (reader.Done)
            {
                return reader.Result();
            }

            start = end = 0;
            if (!await FillAsync(ct))
            {
                return null;
            }
        }
    }

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        idle.CancelAfter(idleTimeout);
        try
        {
            var n = await stream.ReadAsync(buffer.AsMemory(end), idle.Token);
            end += n;
            return n > 0;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"no input for {idleTimeout.TotalSeconds:0} s");
        }
    }
}

/// <summary>One command line as bytes, or the marker for a line over the limit.</summary>
internal sealed record CommandLine(byte[] Bytes, bool IsTooLong)
{
    public static CommandLine TooLong { get; } = new([], true);
}

/// <summary>What DATA produced: the message (when within the size limit) and what was wrong with it.</summary>
internal sealed record DataResult(ReadOnlyMemory<byte> Message, long Size, bool Oversize, bool LineTooLong, bool BareLineEnding);
