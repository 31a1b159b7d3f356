namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>
/// One shared all-0xFF mask array per length for blocks of plain bytes, which most blocks are: a large load kept
/// one such array per block (about 15 MiB of 200,000 parsed signatures). Blocks never write to their masks.
/// </summary>
internal static class PlainMasks
{
    /// <summary>Longer plain blocks are rare enough to get their own array.</summary>
    private const int SharedUpTo = 256;

    private static readonly byte[]?[] Shared = new byte[SharedUpTo + 1][];

    public static byte[] Share(ReadOnlySpan<byte> masks)
    {
        if (masks.Length > SharedUpTo || masks.ContainsAnyExcept((byte)0xFF))
        {
            return masks.ToArray();
        }

        var shared = Volatile.Read(ref Shared[masks.Length]);
        if (shared is null)
        {
            var created = new byte[masks.Length];
            Array.Fill(created, (byte)0xFF);

            // Two loads racing may both create one; either is fine, both hold the same bytes.
            shared = Interlocked.CompareExchange(ref Shared[masks.Length], created, null) ?? created;
        }

        return shared;
    }
}
