using System.Text;
using Postern.Sdk.Scanning;

namespace Postern.Extraction.Tests.Support;

/// <summary>A copied item: walked contents are only valid until the next MoveNext.</summary>
public sealed record CopiedItem(string Path, byte[] Content, ScanItemKind Kind, int Depth, string? FileName, string? ContentType)
{
    public IReadOnlyList<Range> DecodedElsewhere { get; init; } = [];

    public bool Contains(string text) => Content.AsSpan().IndexOf(Encoding.ASCII.GetBytes(text)) >= 0;
}

public sealed record WalkResult(IReadOnlyList<CopiedItem> Items, ExtractionContext Context)
{
    public IReadOnlyList<string> Reasons => Context.NotScannedReasons;

    public CopiedItem? WithMarker(string marker) => Items.FirstOrDefault(i => i.Kind != ScanItemKind.Raw && i.Contains(marker));

    public static WalkResult Run(byte[] input, bool? isMessage = null, ScanLimits? limits = null)
    {
        limits ??= ScanLimits.Default;
        var context = new ExtractionContext(limits, TestContext.Current.CancellationToken);
        var items = new ContentWalker(limits).Walk(input, isMessage, context)
            .Select(i => new CopiedItem(i.Path, i.Content.ToArray(), i.Kind, i.Depth, i.FileName, i.ContentType)
            {
                DecodedElsewhere = i.DecodedElsewhere,
            })
            .ToList();
        return new WalkResult(items, context);
    }

    public override string ToString() =>
        string.Join("\n", Items.Select(i => $"{i.Path} {i.Kind} d{i.Depth} {i.Content.Length}B"))
        + "\nreasons:\n" + string.Join("\n", Reasons);
}
