namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>How a database file is read.</summary>
internal enum DatabaseFileKind
{
    /// <summary><c>.ndb</c>: body signatures.</summary>
    Body,

    /// <summary><c>.hdb</c>, <c>.hsb</c>: whole-item hash signatures.</summary>
    Hash,

    /// <summary><c>.ldb</c>: logical signatures.</summary>
    Logical,

    /// <summary><c>.fp</c>, <c>.sfp</c>: hashes of items that are clean whatever matched.</summary>
    AllowList,

    /// <summary><c>.ign2</c>, <c>.ign</c>: names of signatures to leave out.</summary>
    IgnoreList,

    /// <summary><c>.cvd</c>, <c>.cld</c>, <c>.cud</c>: a header and a tar (usually gzipped) of the kinds above.</summary>
    Container,

    /// <summary>Anything else: listed in the report, not read.</summary>
    Skipped,
}
