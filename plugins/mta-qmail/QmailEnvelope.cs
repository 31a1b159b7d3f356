using System.Collections.Immutable;
using System.Text;

namespace Postern.Plugins.Mta.Qmail;

/// <summary>
/// The qmail-queue envelope on fd 1: <c>F</c>sender<c>\0</c>, then <c>T</c>recipient<c>\0</c> per recipient, then
/// one more <c>\0</c> (qmail-queue(8)). Parsing is strict; the raw bytes are kept to hand on unchanged.
/// </summary>
internal sealed record QmailEnvelope(string Sender, ImmutableArray<string> Recipients, byte[] Raw)
{
    public const int MaxBytes = 1 << 20;
    public const int MaxRecipients = 10_000;

    /// <summary>Reads the envelope to its terminating NUL (never past it).</summary>
    /// <returns>The envelope, or the qmail-queue exit code and reason: 54 when the stream ends early or cannot be
    /// read, 91 for a format error.</returns>
    public static async Task<(QmailEnvelope? Envelope, int Code, string Error)> ReadAsync(Stream input, CancellationToken ct)
    {
        var raw = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await input.ReadAsync(buffer, ct);
                if (n == 0)
                {
                    return (null, 54, "envelope ended before its final NUL");
                }

                raw.Write(buffer, 0, n);
                if (raw.GetBuffer()[0] != (byte)'F')
                {
                    return (null, 91, "the envelope does not start with F");
                }

                if (raw.Length > MaxBytes)
                {
                    return (null, 91, $"envelope over {MaxBytes} bytes");
                }

                if (Complete(raw.GetBuffer().AsSpan(0, (int)raw.Length)) is { } end)
                {
                    var bytes = raw.GetBuffer().AsSpan(0, end).ToArray();
                    return Parse(bytes) is { } env ? (env, 0, "") : (null, 91, "malformed envelope");
                }
            }
        }
        catch (IOException e)
        {
            return (null, 54, $"cannot read the envelope: {e.Message}");
        }
    }

    /// <summary>The length of a complete envelope at the start of <paramref name="data"/>, or null.</summary>
    private static int? Complete(ReadOnlySpan<byte> data)
    {
        var i = 0;
        var first = true;
        while (i < data.Length)
        {
            if (!first && data[i] == 0)
            {
                return i + 1;
            }

            var nul = data[i..].IndexOf((byte)0);
            if (nul < 0)
            {
                return null;
            }

            i += nul + 1;
            first = false;
        }

        return null;
    }

    public static QmailEnvelope? Parse(byte[] raw)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == 0)
            {
                parts.Add(Encoding.UTF8.GetString(raw, start, i - start));
                start = i + 1;
            }
        }

        // parts: "Fsender", "Trcpt"..., "" (the terminator).
        if (parts.Count < 2 || parts[^1].Length != 0 || !parts[0].StartsWith('F'))
        {
            return null;
        }

        var recipients = parts.Skip(1).Take(parts.Count - 2).ToList();
        if (recipients.Count > MaxRecipients || recipients.Any(r => !r.StartsWith('T')))
        {
            return null;
        }

        return new QmailEnvelope(parts[0][1..], [.. recipients.Select(r => r[1..])], raw);
    }
}
