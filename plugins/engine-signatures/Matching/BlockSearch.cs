namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// Finds a block within a range of start positions. Long ranges (a <c>*</c> or a wide gap) jump between
/// occurrences of the block's longest plain run with the vectorised <c>IndexOf</c> instead of trying each start.
/// </summary>
internal static class BlockSearch
{
    /// <summary>Below this many starts a plain loop is cheaper than setting up a vectorised search.</summary>
    private const int LinearLimit = 16;

    /// <summary>The first start in [<paramref name="first"/>, <paramref name="last"/>] where the block matches, or -1.</summary>
    public static int Forward(PatternStore store, in StoredBlock block, ReadOnlySpan<byte> data, int first, int last)
    {
        var run = store.Run(block);
        var at = first;
        while (at <= last)
        {
            if (last - at >= LinearLimit)
            {
                var found = data.Slice(at + block.RunOffset, last - at + run.Length).IndexOf(run);
                if (found < 0)
                {
                    return -1;
                }

                at += found;
            }

            if (store.MatchesAt(block, data, at))
            {
                return at;
            }

            at++;
        }

        return -1;
    }

    /// <summary>The last start in [<paramref name="first"/>, <paramref name="last"/>] where the block matches, or -1.</summary>
    public static int Backward(PatternStore store, in StoredBlock block, ReadOnlySpan<byte> data, int first, int last)
    {
        var run = store.Run(block);
        var at = last;
        while (at >= first)
        {
            if (at - first >= LinearLimit)
            {
                var found = data.Slice(first + block.RunOffset, at - first + run.Length).LastIndexOf(run);
                if (found < 0)
                {
                    return -1;
                }

                at = first + found;
            }

            if (store.MatchesAt(block, data, at))
            {
                return at;
            }

            at--;
        }

        return -1;
    }
}
