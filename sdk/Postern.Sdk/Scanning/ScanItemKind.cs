namespace Postern.Sdk.Scanning;

/// <summary>How a <see cref="ScanItem"/> was reached.</summary>
public enum ScanItemKind
{
    /// <summary>The whole message or file as received, undecoded.</summary>
    Raw,

    /// <summary>The decoded body of a MIME leaf part.</summary>
    MimePart,

    /// <summary>A block found inside text and decoded: uuencode, BinHex, yEnc.</summary>
    InlineEncoded,

    /// <summary>A member of an archive (zip, tar, 7z, rar, ...).</summary>
    ArchiveMember,

    /// <summary>The output of a single-stream decompressor (gzip, bzip2, xz).</summary>
    Decompressed,

    /// <summary>An attachment carried inside a TNEF (winmail.dat) blob.</summary>
    TnefAttachment,
}
