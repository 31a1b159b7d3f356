using System.Buffers;

namespace Postern.Protocols.Smtp;

/// <summary>
/// The DATA state machine, fed in chunks: ends only at CRLF.CRLF, removes the stuffed dot of lines that start with
/// one, finds bare CR and LF, counts line length and size. A bare CR or LF never ends a line for dot purposes, so
/// <c>\n.\n</c>, <c>\r.\r\n</c> and their kin are message content and cannot end the data (no smuggling).
/// </summary>
internal sealed class DataReader(long maxSize, int maxLine, bool normalizeBare)
{
    private readonly ArrayBufferWriter<byte> output = new(16 * 1024);
    private State state = State.LineStart;
    private long size;
    private long lineLength;
    private bool oversize;
    private bool lineTooLong;
    private bool bare;

    private enum State
    {
        LineStart,
        Text,
        Cr,
        LineStartDot,
        LineStartDotCr,
        Done,
    }

    public bool Done => state == State.Done;

    // The writer's own buffer, not a copy: a reader serves one message and is dropped with it.
    public DataResult Result() => new(oversize ? ReadOnlyMemory<byte>.Empty : output.WrittenMemory, size, oversize, lineTooLong, bare);

    /// <summary>Consumes bytes until the end of data or of <paramref name="chunk"/>; returns how many it used.</summary>
    public int Feed(ReadOnlySpan<byte> chunk)
    {
        var i = 0;
        while (i < chunk.Length && state != State.Done)
        {
            if (state == State.Text)
            {
                // The common case in bulk: copy up to the next CR or LF.
                var run = chunk[i..].IndexOfAny((byte)'\r', (byte)'\n');
                var n = run < 0 ? chunk.Length - i : run;
                Emit(chunk.Slice(i, n));
                i += n;
                if (run < 0)
                {
                    break;
                }
            }

            Step(chunk[i]);
            i++;
        }

        return i;
    }

    private void Step(byte b)
    {
        switch (state)
        {
            case State.LineStart:
                if (b == (byte)'.')
                {
                    state = State.LineStartDot;
                    CountLine(1);
                    return;
                }

                Text(b);
                return;
            case State.LineStartDot:
                if (b == (byte)'\r')
                {
                    state = State.LineStartDotCr;
                    return;
                }

                // The stuffed dot goes; b is the line's first real byte.
                Text(b);
                return;
            case State.LineStartDotCr:
                if (b == (byte)'\n')
                {
                    state = State.Done;
                    return;
                }

                // ".\r" then something else: the dot was stuffing, the CR is bare.
                BareEnding();
                Text(b);
                return;
            case State.Cr:
                if (b == (byte)'\n')
                {
                    Emit("\r\n"u8);
                    state = State.LineStart;
                    lineLength = 0;
                    return;
                }

                BareEnding();
                Text(b);
                return;
            default:
                Text(b);
                return;
        }
    }

    private void Text(byte b)
    {
        switch (b)
        {
            case (byte)'\r':
                state = State.Cr;
                CountLine(1);
                return;
            case (byte)'\n':
                // A bare LF: content, never a line end for the dot rules.
                BareEnding();
                state = State.Text;
                return;
            default:
                Emit([b]);
                state = State.Text;
                return;
        }
    }

    private void BareEnding()
    {
        bare = true;
        if (normalizeBare)
        {
            Emit("\r\n"u8);
        }
    }

    private void CountLine(int n)
    {
        lineLength += n;
        if (lineLength > maxLine)
        {
            lineTooLong = true;
        }
    }

    private void Emit(ReadOnlySpan<byte> bytes)
    {
        size += bytes.Length;
        lineLength += bytes.Length;
        if (lineLength > maxLine)
        {
            lineTooLong = true;
        }

        if (size > maxSize)
        {
            oversize = true;
            return;
        }

        output.Write(bytes);
    }
}
