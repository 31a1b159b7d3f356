using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// The logical signatures of a database. Their subsignatures are matched by the <see cref="BodyMatcher"/> with
/// everything else; after the body pass only the signatures with a matched subsignature are evaluated, plus the
/// few whose expression holds with no match at all (<c>0=0</c>), which hold on every item they do not contradict.
/// </summary>
internal sealed class LogicalMatcher
{
    private readonly Entry[] _entries;
    private readonly int[] _owners;
    private readonly int[] _holdOnNothing;

    /// <param name="signatures">The logical signatures with their name ids.</param>
    /// <param name="firstSubsignature">Where each signature's subsignatures start in the global numbering.</param>
    public LogicalMatcher(IReadOnlyList<(LogicalSignature Signature, int NameId)> signatures, int[] firstSubsignature)
    {
        _entries = new Entry[signatures.Count];
        var owners = new List<int>();
        var holdOnNothing = new List<int>();
        Span<int> nothing = stackalloc int[Model.LogicalSignatureLimits.MaxSubsignatures];
        for (var i = 0; i < signatures.Count; i++)
        {
            var (signature, nameId) = signatures[i];
            _entries[i] = new Entry(nameId, signature.Expression, firstSubsignature[i], signature.Subsignatures.Length,
                signature.MinSize, signature.MaxSize);
            for (var s = 0; s < signature.Subsignatures.Length; s++)
            {
                owners.Add(i);
            }

            if (LogicalEvaluator.Evaluate(signature.Expression, nothing[..signature.Subsignatures.Length]))
            {
                holdOnNothing.Add(i);
            }
        }

        _owners = [.. owners];
        _holdOnNothing = [.. holdOnNothing];
    }

    public int Count => _entries.Length;

    /// <summary>Adds the names of the logical signatures that hold for an item of <paramref name="size"/> bytes.</summary>
    public void Evaluate(long size, ref ScanState state)
    {
        if (_entries.Length == 0)
        {
            return;
        }

        Span<int> counts = stackalloc int[Model.LogicalSignatureLimits.MaxSubsignatures];
        var ids = state.Hits.Ids;
        for (var h = 0; h < ids.Length; h++)
        {
            var owner = _owners[ids[h]];
            if (!FirstHitOf(owner, ids[..h]))
            {
                continue;
            }

            Check(owner, size, counts, ref state);
        }

        foreach (var owner in _holdOnNothing)
        {
            if (FirstHitOf(owner, ids))
            {
                Check(owner, size, counts, ref state);
            }
        }
    }

    /// <summary>True when none of <paramref name="earlier"/> belongs to <paramref name="owner"/>, so it is evaluated once.</summary>
    private bool FirstHitOf(int owner, ReadOnlySpan<int> earlier)
    {
        foreach (var id in earlier)
        {
            if (_owners[id] == owner)
            {
                return false;
            }
        }

        return true;
    }

    private void Check(int owner, long size, scoped Span<int> counts, ref ScanState state)
    {
        var entry = _entries[owner];
        if (size < entry.MinSize || size > entry.MaxSize || state.Names.Contains(entry.NameId))
        {
            return;
        }

        var own = counts[..entry.Subsignatures];
        own.Clear();
        var ids = state.Hits.Ids;
        var hits = state.Hits.Counts;
        for (var h = 0; h < ids.Length; h++)
        {
            var local = ids[h] - entry.FirstSubsignature;
            if ((uint)local < (uint)own.Length)
            {
                own[local] = hits[h];
            }
        }

        if (LogicalEvaluator.Evaluate(entry.Expression, own))
        {
            state.Names.Add(entry.NameId);
        }
    }

    private sealed record Entry(int NameId, LogicalNode Expression, int FirstSubsignature, int Subsignatures, long MinSize, long MaxSize);
}
