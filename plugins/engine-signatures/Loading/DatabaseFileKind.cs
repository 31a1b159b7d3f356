namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>How a database file is read.</summary>
internal enum DatabaseFileKind
{
    /// <summary><c>.ndb</c>: body signatures.</summary>
    Body,

    /// <summary><c>.hdb</c>, <c>.hsb</c>: whole-item hash signatures.</summary>
    Hash,

    /// <summary>Anything else: listed in the report, not read.</summary>
    Skipped,
}
