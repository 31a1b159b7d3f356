using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>
/// The signatures read from the database files, in file and line order, with the report of the load. Mutable, not
/// read-only views: <see cref="Matching.CompiledDatabase.Compile"/> empties each once compiled, so that a large
/// load's parsed objects can go before the next part is built.
/// </summary>
/// <param name="Bodies">Body signatures (<c>.ndb</c>).</param>
/// <param name="Hashes">Hash signatures (<c>.hdb</c>, <c>.hsb</c>).</param>
/// <param name="Logicals">Logical signatures (<c>.ldb</c>).</param>
/// <param name="Allowed">Hashes of items that are clean whatever matched (<c>.fp</c>, <c>.sfp</c>).</param>
/// <param name="Report">What the load read, kept and could not honour.</param>
internal sealed record DatabaseContents(
    BodyStore Bodies,
    HashStore Hashes,
    List<LogicalSignature> Logicals,
    HashStore Allowed,
    LoadReport Report)
{
    public DatabaseContents(List<BodySignature> bodies, List<HashSignature> hashes, LoadReport report)
        : this(Store(bodies), Store(hashes), [], new HashStore(), report)
    {
    }

    private static BodyStore Store(List<BodySignature> bodies)
    {
        var store = new BodyStore();
        bodies.ForEach(store.Add);
        return store;
    }

    private static HashStore Store(List<HashSignature> hashes)
    {
        var store = new HashStore();
        hashes.ForEach(store.Add);
        return store;
    }
}
