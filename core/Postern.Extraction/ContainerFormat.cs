namespace Postern.Extraction;

/// <summary>Formats recognised by content magic.</summary>
internal enum ContainerFormat
{
    None,
    Zip,
    SevenZip,
    Rar,
    Tar,
    GZip,
    BZip2,
    Xz,
    Zstd,
    Tnef,
}
