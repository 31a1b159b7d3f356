namespace Postern.Extraction.Archives;

/// <summary>
/// Finds central-directory entries whose local data overlap, the construction of David Fifield's non-recursive zip bombs
/// ("A better zip bomb", WOOT 2019) and of ClamAV's Heuristics.Zip.OverlappingFiles. No honest zip tool writes them.
/// </summary>
internal static class ZipOverlap
{
    /// <summary>True when two entries' local records (header and data) overlap.</summary>
    public static bool HasOverlap(ReadOnlySpan<byte> zip) => HasOverlap(ZipDirectory.Read(zip));

    /// <summary>True when two of <paramref name="records"/>' local records overlap.</summary>
    public static bool HasOverlap(List<ZipRecord> records)
    {
        var extents = records.Where(r => r.DataStart >= 0).Select(r => (Start: r.LocalHeader, End: r.DataEnd)).ToList();
        extents.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (var i = 1; i < extents.Count; i++)
        {
            if (extents[i].Start < extents[i - 1].End)
            {
                return true;
            }
        }

        return false;
    }
}
