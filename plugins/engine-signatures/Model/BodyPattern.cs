namespace Postern.Plugins.Engine.Signatures.Model;

/// <summary>A parsed hex signature: blocks of fixed length with a gap between each two.</summary>
/// <param name="Blocks">At least one block.</param>
/// <param name="Gaps">One fewer than <paramref name="Blocks"/>: <c>Gaps[i]</c> lies between block i and block i + 1.</param>
internal sealed record BodyPattern(Block[] Blocks, Gap[] Gaps)
{
    /// <summary>The fewest bytes a match can span.</summary>
    public long MinimumLength
    {
        get
        {
            long total = 0;
            foreach (var block in Blocks)
            {
                total += block.Length;
            }

            foreach (var gap in Gaps)
            {
                total += gap.Min;
            }

            return total;
        }
    }
}
