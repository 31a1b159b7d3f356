namespace Postern.Plugins.Engine.Signatures.Model;

/// <summary>One usable line of an <c>.ldb</c> file.</summary>
/// <param name="Name">The signature name.</param>
/// <param name="Expression">How the subsignatures' match counts combine.</param>
/// <param name="Subsignatures">The body patterns, in index order; their names are unused.</param>
/// <param name="MinSize">The smallest item size the <c>FileSize</c> field admits.</param>
/// <param name="MaxSize">The largest item size the <c>FileSize</c> field admits.</param>
internal sealed record LogicalSignature(
    string Name,
    LogicalNode Expression,
    BodySignature[] Subsignatures,
    long MinSize,
    long MaxSize);
