using System.Collections.Immutable;
using Postern.Plugins.Engine.Signatures.Loading;
using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// A loaded signature database, immutable once built: a reload builds a new one and swaps the reference, and
/// scans in flight finish on the one they started with. Names are numbered in database order (body signatures,
/// then hash signatures, then the built-in EICAR) and findings come out in that order.
/// </summary>
internal sealed class CompiledDatabase
{
    /// <summary>Items are scanned in slices of this size so that cancellation is noticed within a few milliseconds.</summary>
    private const int SliceLength = 4 << 20;

    private const int InlineNames = 16;

    private readonly string[] _names;
    private readonly BodyMatcher _bodies;
    private readonly HashIndex _hashes;

    private CompiledDatabase(string[] names, BodyMatcher bodies, HashIndex hashes, LoadReport report)
    {
        _names = names;
        _bodies = bodies;
        _hashes = hashes;
        Report = report;
    }

    public LoadReport Report { get; }

    public static CompiledDatabase Compile(DatabaseContents contents)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        int Intern(string name)
        {
            if (!ids.TryGetValue(name, out var id))
            {
                id = names.Count;
                ids.Add(name, id);
                names.Add(name);
            }

            return id;
        }

        var bodies = new List<(BodySignature, int)>(contents.Bodies.Count + 1);
        foreach (var body in contents.Bodies)
        {
            bodies.Add((body, Intern(body.Name)));
        }

        var hashes = new List<(HashSignature, int)>(contents.Hashes.Count);
        foreach (var hash in contents.Hashes)
        {
            hashes.Add((hash, Intern(hash.Name)));
        }

        bodies.Add((BuiltInSignatures.Eicar, Intern(BuiltInSignatures.EicarName)));
        return new CompiledDatabase([.. names], new BodyMatcher(bodies), new HashIndex(hashes), contents.Report);
    }

    /// <summary>The distinct names matching <paramref name="data"/>, in database order; empty (not allocated) when clean.</summary>
    public ImmutableArray<string> Scan(ReadOnlySpan<byte> data, CancellationToken cancellationToken)
    {
        var found = new NameSet(stackalloc int[InlineNames]);
        try
        {
            for (var from = 0; from < data.Length; from += SliceLength)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _bodies.Scan(data, from, (int)Math.Min((long)from + SliceLength, data.Length), ref found);
            }

            _hashes.Scan(data, ref found);
            return found.Count == 0 ? [] : Names(found.Items);
        }
        finally
        {
            found.Dispose();
        }
    }

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
