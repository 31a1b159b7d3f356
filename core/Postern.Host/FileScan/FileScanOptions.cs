namespace Postern.Host.FileScan;

/// <summary>What <c>postern scan</c> was asked to do, in clamscan's terms.</summary>
internal sealed record FileScanOptions(
    IReadOnlyList<string> Paths,
    bool Recursive,
    bool InfectedOnly,
    bool NoSummary,
    int Jobs,
    long MaxFileSize,
    bool Progress);
