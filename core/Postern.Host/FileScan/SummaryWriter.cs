using System.Globalization;

namespace Postern.Host.FileScan;

/// <summary>Writes clamscan's SCAN SUMMARY block, field for field, with one line of our own for files that
/// could not be scanned.</summary>
internal static class SummaryWriter
{
    public static void Write(TextWriter output, ScanTotals totals, long signatures, string version, DateTimeOffset start, DateTimeOffset end)
    {
        var inv = CultureInfo.InvariantCulture;
        var seconds = (end - start).TotalSeconds;
        var mb = totals.Bytes / (1024.0 * 1024.0);
        output.WriteLine();
        output.WriteLine("----------- SCAN SUMMARY -----------");
        output.WriteLine($"Known viruses: {signatures}");
        output.WriteLine($"Engine version: Postern {version}");
        output.WriteLine($"Scanned directories: {totals.Directories}");
        output.WriteLine($"Scanned files: {totals.Files}");
        output.WriteLine($"Infected files: {totals.Infected}");
        output.WriteLine($"Not scanned files: {totals.Errors}");
        output.WriteLine(string.Format(inv, "Data scanned: {0:0.00} MB", mb));
        output.WriteLine(string.Format(inv, "Data read: {0:0.00} MB (ratio 1.00:1)", mb));
        output.WriteLine(string.Format(inv, "Time: {0:0.000} sec ({1} m {2} s)", seconds, (int)seconds / 60, (int)seconds % 60));
        output.WriteLine($"Start Date: {start.LocalDateTime.ToString("yyyy:MM:dd HH:mm:ss", inv)}");
        output.WriteLine($"End Date:   {end.LocalDateTime.ToString("yyyy:MM:dd HH:mm:ss", inv)}");
    }
}
