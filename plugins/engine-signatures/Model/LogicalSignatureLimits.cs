namespace Postern.Plugins.Engine.Signatures.Model;

/// <summary>Bounds ClamAV puts on a logical signature, which the matcher relies on.</summary>
internal static class LogicalSignatureLimits
{
    /// <summary>ClamAV keeps the matched subsignatures of a block in a 64-bit set.</summary>
    public const int MaxSubsignatures = 64;
}
