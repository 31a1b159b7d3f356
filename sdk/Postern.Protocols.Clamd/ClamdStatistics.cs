using System.Globalization;
using System.Text;

namespace Postern.Protocols.Clamd;

/// <summary>Counters for STATS, in the shape clamd prints (its format is documented as unstable; clients display it).</summary>
internal sealed class ClamdStatistics
{
    private int connections;
    private int scanning;

    public void ConnectionOpened() => Interlocked.Increment(ref connections);

    public void ConnectionClosed() => Interlocked.Decrement(ref connections);

    public void ScanStarted() => Interlocked.Increment(ref scanning);

    public void ScanEnded() => Interlocked.Decrement(ref scanning);

    public string Render(ClamdServerOptions options)
    {
        var live = Volatile.Read(ref connections);
        var busy = Volatile.Read(ref scanning);
        var idle = (int)options.IdleTimeout.TotalSeconds;
        var b = new StringBuilder();
        b.Append("POOLS: 1\n\nSTATE: VALID PRIMARY\n");
        b.Append(CultureInfo.InvariantCulture, $"THREADS: live {live}  idle {Math.Max(0, live - busy)} max {options.MaxConnections} idle-timeout {idle}\n");
        b.Append("QUEUE: 0 items\n");
        b.Append(CultureInfo.InvariantCulture, $"\tSTATS 0.000000 \n\nMEMSTATS: heap N/A mmap N/A used N/A free N/A releasable N/A pools 1 pools_used {GC.GetTotalMemory(false) / 1048576.0:0.000}M pools_total {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:0.000}M\nEND");
        return b.ToString();
    }
}
