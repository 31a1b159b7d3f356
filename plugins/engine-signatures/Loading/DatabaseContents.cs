using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>The signatures read from the database files, in file and line order, with the report of the load.</summary>
/// <param name="Bodies">Body signatures (<c>.ndb</c>).</param>
/// <param name="Hashes">Hash signatures (<c>.hdb</c>, <c>.hsb</c>).</param>
/// <param name="Logicals">Logical signatures (<c>.ldb</c>).</param>
/// <param name="Allowed">Hashes of items that are clean whatever matched (<c>.fp</c>, <c>.sfp</c>).</param>
/// <param name="Report">What the load read, kept and could not honour.</param>
internal sealed record DatabaseContents(
    IReadOnlyList<BodySignature> Bodies,
    IReadOnlyList<HashSignature> Hashes,
    IReadOnlyList<LogicalSignature> Logicals,
    IReadOnlyList<HashSignature> Allowed,
    LoadReport Report)
{
    public DatabaseContents(IReadOnlyList<BodySignature> bodies, IReadOnlyList<HashSignature> hashes, LoadReport report)
        : this(bodies, hashes, [], [], report)
    {
    }
}
