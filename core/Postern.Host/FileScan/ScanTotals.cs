namespace Postern.Host.FileScan;

/// <summary>The counters behind clamscan's SCAN SUMMARY block. Updated from the printing thread only, except
/// directories, which the enumerator counts.</summary>
internal sealed class ScanTotals
{
    private int directories;

    public int Directories => directories;

    public int Files { get; private set; }

    public int Infected { get; private set; }

    public int Errors { get; private set; }

    public long Bytes { get; private set; }

    public void AddDirectory() => Interlocked.Increment(ref directories);

    public void Add(FileResult result)
    {
        Files++;
        Bytes += result.Bytes;
        if (result.IsInfected)
        {
            Infected++;
        }
        else if (result.IsError)
        {
            Errors++;
        }
    }
}
