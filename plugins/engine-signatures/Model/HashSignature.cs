namespace Postern.Plugins.Engine.Signatures.Model;

/// <summary>One usable line of an <c>.hdb</c> or <c>.hsb</c> file.</summary>
/// <param name="Name">The signature name.</param>
/// <param name="Kind">The digest.</param>
/// <param name="Digest">The digest's bytes.</param>
/// <param name="Size">The item's exact size, or <see cref="AnySize"/> for a <c>*</c> size.</param>
internal sealed record HashSignature(string Name, HashKind Kind, byte[] Digest, long Size)
{
    public const long AnySize = -1;
}
