using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>A body signature ready to verify: its pattern, its offset rule and where its prefilter anchor sits.</summary>
/// <param name="NameId">Index into the database's names; also the order findings are reported in.</param>
/// <param name="Subsignature">For a logical subsignature, its index among all subsignatures; -1 for a plain body signature.</param>
/// <param name="Offset">Where the signature may start.</param>
/// <param name="Blocks">The fixed-length parts.</param>
/// <param name="Gaps">The gaps between the parts.</param>
/// <param name="AnchorBlock">The block holding the anchor.</param>
/// <param name="AnchorOffset">Where the anchor starts within that block.</param>
internal sealed record CompiledBody(
    int NameId,
    int Subsignature,
    SignatureOffset Offset,
    Block[] Blocks,
    Gap[] Gaps,
    int AnchorBlock,
    int AnchorOffset);
