namespace Postern.Core.Quarantine;

/// <summary>Retention by age (<c>av_quarantine_retention</c>). The daemon calls <see cref="SweepAsync"/> on a timer;
/// <c>postern quarantine purge</c> calls it by hand.</summary>
public static class QuarantineRetention
{
    /// <summary>Deletes every item received more than <paramref name="maxAge"/> ago; a zero age keeps everything.</summary>
    /// <returns>How many items were deleted.</returns>
    public static async ValueTask<int> SweepAsync(IQuarantineStore store, TimeSpan maxAge, TimeProvider time, CancellationToken cancellationToken)
    {
        if (maxAge <= TimeSpan.Zero)
        {
            return 0;
        }

        var old = await store.ListAsync(new QuarantineFilter { Until = time.GetUtcNow() - maxAge }, cancellationToken);
        var deleted = 0;
        foreach (var item in old)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await store.DeleteAsync(item.Id, cancellationToken))
            {
                deleted++;
            }
        }

        return deleted;
    }
}
