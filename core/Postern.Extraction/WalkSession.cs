using Postern.Extraction.Archives;
using Postern.Extraction.Inline;
using Postern.Extraction.Mime;
using Postern.Extraction.Tnef;
using Postern.Sdk.Scanning;

namespace Postern.Extraction;

/// <summary>
/// One walk: admits items (cancellation, file budget, dedupe) and sends each admitted item to the expander its content
/// calls for. Expanders call back into <see cref="Emit(ScanItem, ContentHint)"/> for their children, so the walk is a
/// depth-first tree of lazy iterators whose height is bounded by <see cref="ScanLimits.MaxDepth"/>.
/// </summary>
internal sealed class WalkSession
{
    private readonly ArchiveExpander _archives;
    private readonly StreamExpander _streams;
    private readonly MessageExpander _messages;
    private readonly InlineExpander _inline;
    private readonly TnefExpander _tnef;
    private bool _fileLimitNoted;

    public WalkSession(ScanLimits limits, ExtractionContext context)
    {
        Limits = limits;
        Context = context;
        _archives = new ArchiveExpander(this);
        _streams = new StreamExpander(this);
        _messages = new MessageExpander(this);
        _inline = new InlineExpander(this);
        _tnef = new TnefExpander(this);
    }

    public ScanLimits Limits { get; }

    public ExtractionContext Context { get; }

    /// <summary>Yields <paramref name="item"/> unless it is a duplicate or over budget, then everything inside it. A
    /// message is parsed before it is yielded, so that it goes out carrying the ranges its parts bring back decoded
    /// (<see cref="ScanItem.DecodedElsewhere"/>).</summary>
    public IEnumerable<ScanItem> Emit(ScanItem item, ContentHint hint)
    {
        if (!Admit(item, readAsMessage: hint == ContentHint.Message))
        {
            yield break;
        }

        var (format, start) = ContainerMagic.Detect(item.Content.Span);
        if (hint == ContentHint.Message || (hint == ContentHint.Unknown && format == ContainerFormat.None
            && MessageSniffer.LooksLikeMessage(item.Content.Span)))
        {
            var (decoded, parts) = MayOpen(item.Path, item.Depth, "message") ? _messages.Open(item) : ([], []);
            yield return decoded.Count == 0 ? item : item with { DecodedElsewhere = decoded };
            foreach (var part in parts)
            {
                yield return part;
            }

            yield break;
        }

        yield return item;
        foreach (var child in Expand(item, format, start))
        {
            yield return child;
        }
    }

    /// <summary>As <see cref="Emit(ScanItem, ContentHint)"/>, with children the caller already knows how to produce
    /// (a message/rfc822 part whose message MimeKit has already parsed).</summary>
    public IEnumerable<ScanItem> Emit(ScanItem item, Func<IEnumerable<ScanItem>> children)
    {
        if (!Admit(item, readAsMessage: true))
        {
            yield break;
        }

        yield return item;
        foreach (var child in children())
        {
            yield return child;
        }
    }

    /// <summary>Inline blocks only: for a message MimeKit could not parse.</summary>
    public IEnumerable<ScanItem> ExpandAsText(ScanItem item) => _inline.Expand(item);

    /// <summary>Whether a container at <paramref name="depth"/> may be opened; records the reason when not.</summary>
    public bool MayOpen(string path, int depth, string what)
    {
        if (depth < Limits.MaxDepth)
        {
            return true;
        }

        Context.AddReason(path, $"depth limit ({what} at depth {depth})");
        return false;
    }

    private bool Admit(ScanItem item, bool readAsMessage)
    {
        Context.CancellationToken.ThrowIfCancellationRequested();
        if (Context.IsFileBudgetSpent)
        {
            if (!_fileLimitNoted)
            {
                _fileLimitNoted = true;
                Context.AddReason(item.Path, "file count limit (this and later items)");
            }

            return false;
        }

        if (item.Kind != ScanItemKind.Raw && (item.Content.IsEmpty || !Context.MarkFirstSeen(item.Content.Span, readAsMessage)))
        {
            return false;
        }

        Context.CountItem();
        return true;
    }

    private IEnumerable<ScanItem> Expand(ScanItem item, ContainerFormat format, int start) => format switch
    {
        ContainerFormat.None => _inline.Expand(item),
        _ when !MayOpen(item.Path, item.Depth, format.ToString().ToLowerInvariant()) => [],
        ContainerFormat.GZip or ContainerFormat.BZip2 or ContainerFormat.Xz or ContainerFormat.Zstd =>
            _streams.Expand(item, format),
        ContainerFormat.Tnef => _tnef.Expand(item),
        _ => _archives.Expand(item, format, start),
    };
}
