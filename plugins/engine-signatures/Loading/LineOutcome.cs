namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>What became of one database line.</summary>
internal enum LineOutcome
{
    /// <summary>A signature in service.</summary>
    Signature,

    /// <summary>Left out, as ClamAV leaves it out, because its MinFL/MaxFL exclude our functionality level.</summary>
    OutsideFunctionalityLevel,

    /// <summary>Not honoured; the issue says why.</summary>
    Unsupported,
}
