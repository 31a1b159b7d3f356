using Postern.Plugins.Engine.Signatures.Loading;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// All body signatures of a database behind one prefilter per anchor width. Immutable after construction, so any
/// number of scans can share it without locks.
/// </summary>
internal sealed class BodyMatcher
{
    private readonly CompiledBody[] _bodies;
    private readonly PatternStore _patterns;
    private readonly GramFilter[] _filters;

    /// <param name="signatures">The body signatures, parsed; emptied, its blocks becoming the matcher's pattern store.</param>
    /// <param name="nameIds">The name id of each signature in <paramref name="signatures"/>.</param>
    /// <param name="subsignatures">For each, its index among all logical subsignatures, or -1 for a plain body signature.</param>
    public BodyMatcher(BodyStore signatures, ReadOnlySpan<int> nameIds, ReadOnlySpan<int> subsignatures)
    {
        _bodies = new CompiledBody[signatures.Count];
        for (var i = 0; i < _bodies.Length; i++)
        {
            var (first, count) = signatures.BlockRange(i);
            _bodies[i] = new CompiledBody(nameIds[i], subsignatures[i], signatures.Offset(i), first, count, 0, 0);
        }

        var patterns = signatures.TakePatterns();
        var stride = StrideFor(_bodies, patterns);
        var picker = new AnchorPicker();
        var anchors = new List<(uint Key, int Body, int Shift)>[AnchorPicker.MaxWidth + 1];
        for (var w = 0; w < anchors.Length; w++)
        {
            anchors[w] = [];
        }

        Span<uint> keys = stackalloc uint[GramFilter.MaxStride];
        for (var i = 0; i < _bodies.Length; i++)
        {
            ref var body = ref _bodies[i];
            var wide = AnchorPicker.WidthOf(patterns, body.FirstBlock, body.BlockCount) == AnchorPicker.MaxWidth;
            var grams = wide ? stride : 1;
            var anchor = picker.Pick(patterns, body.FirstBlock, body.BlockCount, grams, keys);
            body = body with { AnchorBlock = anchor.Block, AnchorOffset = anchor.Offset };
            for (var j = 0; j < grams; j++)
            {
                anchors[anchor.Width].Add((keys[j], i, j));
            }
        }

        var filters = new List<GramFilter>();
        for (var w = anchors.Length - 1; w >= 1; w--)
        {
            if (GramFilter.Build(w, w == AnchorPicker.MaxWidth ? stride : 1, anchors[w]) is { } filter)
            {
                filters.Add(filter);
            }
        }

        _filters = [.. filters];
        _patterns = patterns;
    }

    public int Count => _bodies.Length;

    /// <summary>The step of the four-byte filter (1 when it is dense or absent); for tests and measurement.</summary>
    public int Stride => _filters.Select(f => f.Stride).DefaultIfEmpty(1).Max();

    /// <summary>
    /// The stride of the four-byte filter: the most grams (up to <see cref="GramFilter.StrideLimit"/>) that every
    /// signature anchored on four bytes can give from one plain run. One signature whose longest plain run is four
    /// bytes keeps the whole filter at stride 1: a second filter at stride 1 beside a strided one would cost more
    /// than the one dense pass.
    /// </summary>
    private static int StrideFor(CompiledBody[] bodies, PatternStore patterns)
    {
        var stride = GramFilter.StrideLimit;
        foreach (var body in bodies)
        {
            var run = AnchorPicker.LongestRun(patterns, body.FirstBlock, body.BlockCount);
            if (run >= AnchorPicker.MaxWidth)
            {
                stride = Math.Min(stride, run - AnchorPicker.MaxWidth + 1);
            }
        }

        return Math.Max(1, stride);
    }

    /// <summary>For measurement only: bitmap passes and exact anchor grams over all filters.</summary>
    public (long Passes, long Exact) Probe(ReadOnlySpan<byte> data)
    {
        long passes = 0, exact = 0;
        foreach (var filter in _filters)
        {
            var (p, e) = filter.Probe(data);
            (passes, exact) = (passes + p, exact + e);
        }

        return (passes, exact);
    }

    /// <summary>
    /// Adds the names of the body signatures, and counts the logical subsignatures, matching in positions
    /// [<paramref name="from"/>, <paramref name="to"/>).
    /// </summary>
    public void Scan(ReadOnlySpan<byte> data, int from, int to, ref ScanState state)
    {
        foreach (var filter in _filters)
        {
            filter.Scan(data, from, to, _bodies, _patterns, ref state);
        }
    }
}
