namespace Postern.Extraction.Mime;

/// <summary>What one message parse may still cost: entities walked and extra readings (re-parses) taken.</summary>
internal sealed class MimeBudget(int maxParts)
{
    // Each extra reading re-parses a body once; 16 covers every trick in a message while keeping the worst case linear.
    private const int MaxViews = 16;

    private int _parts;
    private int _views;

    public bool PartLimitNoted { get; set; }

    public bool TryCountPart() => ++_parts <= maxParts;

    public bool TryCountView() => ++_views <= MaxViews;
}
