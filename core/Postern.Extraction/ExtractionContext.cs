namespace Postern.Extraction;

/// <summary>
/// The state of one scan: per-scan budgets, the reasons why something was not scanned, and the set of contents already
/// yielded. Create one per scan and pass it to <see cref="ContentWalker.Walk"/>; not thread-safe.
/// </summary>
/// <remarks>
/// The per-scan budgets (<see cref="ScanLimits.MaxFiles"/>, <see cref="ScanLimits.MaxTotalBytes"/>) are taken from the
/// limits given here; structural limits (depth, item size, ratio, MIME) come from the walker's own limits.
/// </remarks>
public sealed class ExtractionContext
{
    private readonly List<string> _reasons = [];
    private readonly HashSet<UInt128> _seen = [];

    /// <summary>The raw input, not hashed until an item of its length turns up (see <see cref="MarkRaw"/>).</summary>
    private ReadOnlyMemory<byte> _raw;

    private bool _rawPending;

    public ExtractionContext(ScanLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        Limits = limits;
        CancellationToken = cancellationToken;
    }

    /// <summary>The limits whose per-scan budgets this context enforces.</summary>
    public ScanLimits Limits { get; }

    /// <summary>Fires when the caller's deadline passes; the walker then throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>"<c>path: reason</c>" for everything that was not fully scanned: limits, encryption, corruption.</summary>
    public IReadOnlyList<string> NotScannedReasons => _reasons;

    /// <summary>Items yielded so far, the raw input included.</summary>
    public int ItemCount { get; private set; }

    /// <summary>Decoded bytes charged so far, the raw input included.</summary>
    public long DecodedBytes { get; private set; }

    /// <summary>Items left out because the same bytes had been yielded already in this scan.</summary>
    public int DuplicateCount { get; private set; }

    /// <summary>True once <see cref="ScanLimits.MaxFiles"/> items were yielded; the walk then stops.</summary>
    public bool IsFileBudgetSpent => ItemCount >= Limits.MaxFiles;

    /// <summary>Bytes that may still be decoded in this scan.</summary>
    internal long RemainingBytes => Math.Max(0, Limits.MaxTotalBytes - DecodedBytes);

    internal void AddReason(string path, string reason) =>
        _reasons.Add((path.Length == 0 ? "." : path) + ": " + reason);

    internal void ChargeBytes(long count) => DecodedBytes += count;

    internal void CountItem() => ItemCount++;

    /// <summary>Flipped in the key of bytes read as a message: a collision between the two readings is as
    /// unforeseeable, without the secret key, as any other.</summary>
    private static readonly UInt128 MessageReading = UInt128.One << 127;

    /// <summary>
    /// True the first time these bytes are seen in this scan. Keyed by <see cref="ContentKey"/> (a universal hash under
    /// a secret key) rather than a fast non-cryptographic hash, because a sender who could forge a collision would
    /// hide a payload behind a harmless twin.
    /// </summary>
    /// <param name="content">The bytes.</param>
    /// <param name="readAsMessage">Whether they are read as a message whatever they look like (a message/rfc822 part,
    /// a part hidden in a preamble): seen apart from the same bytes read by sniffing, so that a text part the sniffer
    /// does not take for a message never stands in for the message a client shows.</param>
    internal bool MarkFirstSeen(ReadOnlySpan<byte> content, bool readAsMessage = false)
    {
        if (_rawPending && content.Length == _raw.Length)
        {
            // The raw input counts as seen under either reading: nothing inside it is walked as all of it again.
            _rawPending = false;
            var raw = ContentKey.Of(_raw.Span);
            _seen.Add(raw);
            _seen.Add(raw ^ MessageReading);
        }

        var key = ContentKey.Of(content) ^ (readAsMessage ? MessageReading : UInt128.Zero);
        if (_seen.Add(key))
        {
            return true;
        }

        DuplicateCount++;
        return false;
    }

    /// <summary>
    /// Records the raw input as seen without hashing it: its bytes stay valid for the whole walk (the caller owns
    /// them), so the digest is taken only when a decoded item of the same length needs comparing, which a mail
    /// message almost never has. That saves a hashing pass over every input (measured: most of the dedupe hashing,
    /// which was 15% of a corpus scan's CPU).
    /// </summary>
    internal void MarkRaw(ReadOnlyMemory<byte> content)
    {
        _raw = content;
        _rawPending = true;
    }
}
