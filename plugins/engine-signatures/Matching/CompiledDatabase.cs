using System.Collections.Immutable;
using Postern.Plugins.Engine.Signatures.Loading;
using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// A loaded signature database, immutable once built: a reload builds a new one and swaps the reference, and
/// scans in flight finish on the one they started with. Names are numbered in database order (body signatures,
/// logical signatures, hash signatures, then the built-in EICAR) and findings come out in that order.
/// </summary>
internal sealed class CompiledDatabase
{
    /// <summary>Items are scanned in slices of this size so that cancellation is noticed within a few milliseconds.</summary>
    private const int SliceLength = 4 << 20;

    private const int InlineNames = 16;

    private const int InlineHits = 32;

    private readonly NameList _names;
    private readonly BodyMatcher _bodies;
    private readonly LogicalMatcher _logicals;
    private readonly HashIndex _hashes;
    private readonly AllowList _allowed;

    private CompiledDatabase(NameList names, BodyMatcher bodies, LogicalMatcher logicals, HashIndex hashes, AllowList allowed, LoadReport report)
    {
        _names = names;
        _bodies = bodies;
        _logicals = logicals;
        _hashes = hashes;
        _allowed = allowed;
        Report = report;
    }

    public LoadReport Report { get; }

    /// <summary>
    /// Compiles <paramref name="contents"/>, emptying its lists as it goes, so that the parsed objects of one kind
    /// can be collected once their part is built (the load peak of 700,000 signatures is parsed objects plus compiled
    /// database); the hash index is built beside the body patterns. Each step is its own method so that its temporaries
    /// die with it even in unoptimised (tier-0) code, which keeps every local of a method alive to its end.
    /// </summary>
    public static CompiledDatabase Compile(DatabaseContents contents)
    {
        var ids = NameIds.Number(contents, BuiltInSignatures.EicarName, out var names);

        // The hash index and the body matcher share nothing but the (read-only) name ids, so they compile side by
        // side. With the anchor picker's shortcut, the large database (500,000 hashes, 200,000 body patterns)
        // compiles in 1.0-1.1 s instead of 1.1-1.3 s on two cores (bench/engine load, three interleaved runs).
        var hashing = Task.Run(() => CompileHashes(contents.Hashes, ids.Hashes));
        var logicals = CompileLogicals(contents.Logicals, ids.Logicals, out var bodies);
        var matcher = CompileBodies(contents.Bodies, ids, bodies);
        contents.Logicals.Clear();
        var allowed = new AllowList(contents.Allowed);
        contents.Allowed.Clear();
        var hashes = hashing.GetAwaiter().GetResult();
        return new CompiledDatabase(names, matcher, logicals, hashes, allowed, contents.Report);
    }

    private static HashIndex CompileHashes(HashStore parsed, int[] nameIds)
    {
        var index = new HashIndex(parsed, nameIds);
        parsed.Clear();
        return index;
    }

    private static LogicalMatcher CompileLogicals(List<LogicalSignature> parsed, int[] nameIds,
        out List<(BodySignature, int, int)> subsignatures)
    {
        var logicals = new (LogicalSignature, int)[parsed.Count];
        var firstSubsignature = new int[parsed.Count];
        subsignatures = [];
        for (var i = 0; i < parsed.Count; i++)
        {
            logicals[i] = (parsed[i], nameIds[i]);
            firstSubsignature[i] = subsignatures.Count;
            foreach (var part in parsed[i].Subsignatures)
            {
                subsignatures.Add((part, nameIds[i], subsignatures.Count));
            }
        }

        return new LogicalMatcher(logicals, firstSubsignature);
    }

    /// <summary>Appends the logical subsignatures and the built-in signature to the parsed body signatures, then
    /// builds the matcher over all of them, which empties <paramref name="parsed"/>.</summary>
    private static BodyMatcher CompileBodies(BodyStore parsed, NameIds ids, List<(BodySignature, int, int)> subsignatures)
    {
        var count = parsed.Count + subsignatures.Count + 1;
        var nameIds = new int[count];
        var parts = new int[count];
        ids.Bodies.CopyTo(nameIds, 0);
        parts.AsSpan(0, parsed.Count).Fill(-1);
        foreach (var (signature, nameId, subsignature) in subsignatures)
        {
            (nameIds[parsed.Count], parts[parsed.Count]) = (nameId, subsignature);
            parsed.Add(signature);
        }

        (nameIds[parsed.Count], parts[parsed.Count]) = (ids.Eicar, -1);
        parsed.Add(BuiltInSignatures.Eicar);
        return new BodyMatcher(parsed, nameIds, parts);
    }

    /// <summary>The distinct names matching <paramref name="data"/>, in database order; empty (not allocated) when clean.</summary>
    public ImmutableArray<string> Scan(ReadOnlySpan<byte> data, CancellationToken cancellationToken) =>
        Scan(data, [], cancellationToken);

    /// <summary>
    /// As <see cref="Scan(ReadOnlySpan{byte}, CancellationToken)"/>, with no body signature starting its anchor inside
    /// <paramref name="skip"/> (ranges of <paramref name="data"/> the host scans again decoded: the item's
    /// <see cref="Postern.Sdk.Scanning.ScanItem.DecodedElsewhere"/>). A pattern may still run on into a skipped range
    /// from an anchor outside it, offsets stay those of the whole item, and hash signatures take all of it.
    /// </summary>
    public ImmutableArray<string> Scan(ReadOnlySpan<byte> data, IReadOnlyList<Range> skip, CancellationToken cancellationToken)
    {
        var state = new ScanState(stackalloc int[InlineNames], stackalloc int[InlineHits]);
        try
        {
            var at = 0;
            for (var i = 0; i < skip.Count; i++)
            {
                // Clamped, so that ranges out of order or out of bounds cost a scan of more, never an exception.
                var range = skip[i];
                var start = Math.Clamp(range.Start.GetOffset(data.Length), 0, data.Length);
                ScanBodies(data, at, start, ref state, cancellationToken);
                at = Math.Max(at, Math.Clamp(range.End.GetOffset(data.Length), start, data.Length));
            }

            ScanBodies(data, at, data.Length, ref state, cancellationToken);

            _logicals.Evaluate(data.Length, ref state);
            _hashes.Scan(data, ref state.Names);
            if (state.Names.Count == 0 || _allowed.Allows(data))
            {
                return [];
            }

            return Names(state.Names.Items);
        }
        finally
        {
            state.Dispose();
        }
    }

    private void ScanBodies(ReadOnlySpan<byte> data, int from, int to, ref ScanState state, CancellationToken cancellationToken)
    {
        for (; from < to; from += SliceLength)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _bodies.Scan(data, from, (int)Math.Min((long)from + SliceLength, to), ref state);
        }
    }

    /// <summary>The step between positions the four-byte prefilter tests (see <see cref="GramFilter"/>).</summary>
    public int BodyStride => _bodies.Stride;

    /// <summary>For measurement only (bench/engine): prefilter passes and exact anchor grams in <paramref name="data"/>.</summary>
    public (long Passes, long Exact) ProbeBodies(ReadOnlySpan<byte> data) => _bodies.Probe(data);

    private ImmutableArray<string> Names(ReadOnlySpan<int> ids)
    {
        Span<int> sorted = ids.Length <= InlineNames ? stackalloc int[ids.Length] : new int[ids.Length];
        ids.CopyTo(sorted);
        sorted.Sort();
        var names = ImmutableArray.CreateBuilder<string>(sorted.Length);
        foreach (var id in sorted)
        {
            names.Add(_names[id]);
        }

        return names.MoveToImmutable();
    }
}
