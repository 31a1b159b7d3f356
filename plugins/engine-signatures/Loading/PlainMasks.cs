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
        return masks.Length > SharedUpTo || masks.ContainsAnyExcept((byte)0xFF) ? masks.ToArray() : Of(masks.Length);
    }

    /// <summary>All-0xFF masks of <paramref name="length"/>: the shared array up to <see cref="SharedUpTo"/>.</summary>
    public static byte[] Of(int length)
    {
        var shared = length <= SharedUpTo ? Volatile.Read(ref Shared[length]) : null;
        if (shared is null)
        {
            shared = new byte[length];
            Array.Fill(shared, (byte)0xFF);
            if (length <= SharedUpTo)
            {
                // Two loads racing may both create one; either is fine, both hold the same bytes.
                shared = Interlocked.CompareExchange(ref Shared[length], shared, null) ?? shared;
            }
        }

        return shared;
    }
}
