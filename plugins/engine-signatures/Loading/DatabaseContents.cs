using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>The signatures read from the database files, in file and line order, with the report of the load.</summary>
internal sealed record DatabaseContents(
    IReadOnlyList<BodySignature> Bodies,
    IReadOnlyList<HashSignature> Hashes,
    LoadReport Report);
