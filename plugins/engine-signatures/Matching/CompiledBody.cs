using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>A body signature ready to verify: where its pattern sits in the <see cref="PatternStore"/>, its offset rule and its anchor.</summary>
/// <param name="NameId">Index into the database's names; also the order findings are reported in.</param>
/// <param name="Subsignature">For a logical subsignature, its index among all subsignatures; -1 for a plain body signature.</param>
/// <param name="Offset">Where the signature may start.</param>
/// <param name="FirstBlock">The pattern's first block in the store.</param>
/// <param name="BlockCount">How many blocks the pattern has.</param>
/// <param name="AnchorBlock">The block holding the anchor, counted from the pattern's first.</param>
/// <param name="AnchorOffset">Where the anchor starts within that block.</param>
internal readonly record struct CompiledBody(
    int NameId,
    int Subsignature,
    SignatureOffset Offset,
    int FirstBlock,
    int BlockCount,
    int AnchorBlock,
    int AnchorOffset);
