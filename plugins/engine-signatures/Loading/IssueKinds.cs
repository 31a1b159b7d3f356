namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>The kinds of database lines the engine cannot honour, as counted in the load report.</summary>
internal static class IssueKinds
{
    public const string Malformed = "malformed";
    public const string TargetType = "target-type";
    public const string Offset = "offset";
    public const string Boundary = "boundary";
    public const string AnchoredRange = "anchored-range";
    public const string Alternative = "alternative";

    /// <summary>A target description field (EntryPoint, Container, IconGroup, ...) that needs a parser we do not have.</summary>
    public const string TargetField = "target-field";

    public const string Pcre = "pcre";
    public const string ByteCompare = "byte-compare";
    public const string Macro = "macro";

    /// <summary>The <c>::i</c>, <c>::w</c>, <c>::f</c>, <c>::a</c> subsignature modifiers.</summary>
    public const string SubsignatureModifier = "subsignature-modifier";

    /// <summary>Too little static content for ClamAV itself, which refuses the whole database for such a line.</summary>
    public const string TooShort = "too-short";

    /// <summary>A <c>*</c> or a gap range at either end: ClamAV cannot extract such a part either.</summary>
    public const string GapAtEdge = "gap-at-edge";

    /// <summary>A <c>*</c> size without a MinFL of at least 73, which ClamAV refuses.</summary>
    public const string HashSizeWildcard = "hash-size-wildcard";
}
