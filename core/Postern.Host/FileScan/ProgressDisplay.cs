using System.Globalization;

namespace Postern.Host.FileScan;

/// <summary>
/// A one-line status on the terminal for long scans (files, MiB, MiB/s), redrawn at most four times a second on
/// standard error and wiped before each result line, so piped output stays exactly clamscan's.
/// </summary>
internal sealed class ProgressDisplay(TextWriter terminal, TimeProvider time) : IDisposable
{
    private readonly Lock gate = new();
    private readonly long started = time.GetTimestamp();
    private long files;
    private long bytes;
    private long lastDraw;
    private bool shown;

    public void Advance(long size)
    {
        Interlocked.Increment(ref files);
        Interlocked.Add(ref bytes, size);
        var now = time.GetTimestamp();
        if (time.GetElapsedTime(Interlocked.Read(ref lastDraw), now) < TimeSpan.FromMilliseconds(250))
        {
            return;
        }

        lock (gate)
        {
            Interlocked.Exchange(ref lastDraw, now);
            var secs = Math.Max(0.001, time.GetElapsedTime(started).TotalSeconds);
            var mib = Interlocked.Read(ref bytes) / 1048576.0;
            terminal.Write(string.Format(CultureInfo.InvariantCulture, "\r\u001b[Kscanning: {0} files, {1:0.0} MiB, {2:0.0} MiB/s",
                Interlocked.Read(ref files), mib, mib / secs));
            terminal.Flush();
            shown = true;
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            if (shown)
            {
                terminal.Write("\r\u001b[K");
                terminal.Flush();
                shown = false;
            }
        }
    }

    public void Dispose() => Clear();
}
