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

    public static CompiledDatabase Compile(DatabaseContents contents)
    {
        var names = new NameTable();
        var bodies = new List<(BodySignature, int, int)>(contents.Bodies.Count + 1);
        foreach (var body in contents.Bodies)
        {
            bodies.Add((body, names.Intern(body.Name), -1));
        }

        var logicals = new List<(LogicalSignature, int)>(contents.Logicals.Count);
        var firstSubsignature = new int[contents.Logicals.Count];
        var subsignature = 0;
        for (var i = 0; i < contents.Logicals.Count; i++)
        {
            var logical = contents.Logicals[i];
            var nameId = names.Intern(logical.Name);
            logicals.Add((logical, nameId));
            firstSubsignature[i] = subsignature;
            foreach (var part in logical.Subsignatures)
            {
                bodies.Add((part, nameId, subsignature++));
            }
        }

        var hashes = new List<(HashSignature, int)>(contents.Hashes.Count);
        foreach (var hash in contents.Hashes)
        {
            hashes.Add((hash, names.Intern(hash.Name)));
        }

        bodies.Add((BuiltInSignatures.Eicar, names.Intern(BuiltInSignatures.EicarName), -1));
        return new CompiledDatabase(names.ToList(), new BodyMatcher(bodies), new LogicalMatcher(logicals, firstSubsignature),
            new HashIndex(hashes), new AllowList(contents.Allowed), contents.Report);
    }

    /// <summary>The distinct names matching <paramref name="data"/>, in database order; empty (not allocated) when clean.</summary>
    public ImmutableArray<string> Scan(ReadOnlySpan<byte> data, CancellationToken cancellationToken)
    {
        var state = new ScanState(stackalloc int[InlineNames], stackalloc int[InlineHits]);
        try
        {
            for (var from = 0; from < data.Length; from += SliceLength)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _bodies.Scan(data, from, (int)Math.Min((long)from + SliceLength, data.Length), ref state);
            }

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
