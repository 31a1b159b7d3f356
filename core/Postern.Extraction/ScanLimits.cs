namespace Postern.Extraction;

/// <summary>
/// Bounds on what one scan may decode. Every default names where it came from; a limit that is passed is never silent:
/// the walker records "<c>path: reason</c>" in <see cref="ExtractionContext.NotScannedReasons"/>.
/// </summary>
public sealed record ScanLimits
{
    /// <summary>
    /// Deepest container nesting (message, archive, compressed stream, inline block, TNEF) below the input; the input is 0.
    /// 17 is ClamAV's MaxRecursion default (clamd.conf).
    /// </summary>
    public int MaxDepth { get; init; } = 17;

    /// <summary>Most multiparts nested inside one message. MimeKit's own default is 1024; 64 is far past what any mail client
    /// produces and keeps the parser's recursion short.</summary>
    public int MaxMimeNesting { get; init; } = 64;

    /// <summary>Items yielded per scan, the raw input included. 10000 is ClamAV's MaxFiles default (clamd.conf).</summary>
    public int MaxFiles { get; init; } = 10_000;

    /// <summary>Largest single decoded item; bigger ones are cut there. 100 MiB is ClamAV's MaxFileSize default.</summary>
    public long MaxItemBytes { get; init; } = 100L * 1024 * 1024;

    /// <summary>All decoded bytes per scan, the input included. 400 MiB is ClamAV's MaxScanSize default.</summary>
    public long MaxTotalBytes { get; init; } = 400L * 1024 * 1024;

    /// <summary>
    /// Largest expanded/compressed ratio of one container, checked once its output passes <see cref="RatioFloorBytes"/>.
    /// amavisd-new's $MAX_EXPANSION_FACTOR is 500 times the whole mail; per container we allow 100, which real text and
    /// office files (typically 3–30x) do not reach, while a bomb (deflate of zeros runs near 1030x) stops at 100 times its
    /// own size: 6 MiB of output for a 64 KiB zip, and never more than <see cref="MaxItemBytes"/> per member.
    /// </summary>
    public double MaxRatio { get; init; } = 100;

    /// <summary>Output below this is never ratio-checked: small highly compressible files are normal. 1 MiB, as in the brief
    /// and close to amavisd-new's $MIN_EXPANSION_QUOTA order of magnitude.</summary>
    public long RatioFloorBytes { get; init; } = 1024 * 1024;

    /// <summary>MIME entities (leaves and multiparts) per message. 1024 is ClamAV's built-in limit in libclamav/mbox.c.</summary>
    public int MaxMimeParts { get; init; } = 1024;

    /// <summary>Largest header block of one message or part. 256 KiB is ClamAV's built-in email header limit (mbox.c).</summary>
    public int MaxHeaderBytes { get; init; } = 256 * 1024;

    /// <summary>Blocks (uuencode, BinHex, yEnc) decoded from one text item; guards against a text made only of "begin" lines.
    /// 64 is ours: legitimate posts carry a handful.</summary>
    public int MaxInlineBlocks { get; init; } = 64;

    /// <summary>The defaults above.</summary>
    public static ScanLimits Default { get; } = new();
}
