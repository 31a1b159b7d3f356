namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>What one scan has found so far: names of matched signatures and counts of matched subsignatures.</summary>
internal ref struct ScanState
{
    public NameSet Names;
    public HitCounter Hits;

    public ScanState(Span<int> names, Span<int> hits)
    {
        Names = new NameSet(names);
        Hits = new HitCounter(hits);
    }

    public void Dispose()
    {
        Names.Dispose();
        Hits.Dispose();
    }
}
