using System.Numerics;
using System.Runtime.CompilerServices;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// 1,024 fixed 64-bit masks of three distinct bits each, for the prefilter's blocked Bloom test: the or of two of
/// them, picked by two 10-bit slices of the hash, gives up to six bits from two loads from this L1-resident 8 KiB
/// table, where computing four shifts and ors per scanned byte made the loop about a third slower than a single-bit
/// test on the 20,000-signature database (bench/engine drop mode). One table of whole masks would be as cheap but
/// lets a query through whenever its mask equals one in the word, one chance in the table's size per anchor there:
/// 0.5% of positions passed with 1,024 masks of four bits, against 0.26% for four computed bits.
/// </summary>
internal static class BitPatterns
{
    public const int Count = 1024;

    public const int BitsSet = 3;

    /// <summary>Built from SplitMix64 (Steele, Lea, Flood 2014) of a fixed seed, so every build has the same table.</summary>
    public static readonly ulong[] Masks = Create();

    /// <summary>The mask for a 64-bit hash: from its bits 16-25 and 26-35, below any word index (at most the top 20).</summary>
    public static ulong For(ref ulong masks, ulong hash) =>
        Unsafe.Add(ref masks, (int)(hash >> 16) & (Count - 1))
        | Unsafe.Add(ref masks, (int)(hash >> 26) & (Count - 1));

    private static ulong[] Create()
    {
        var masks = new ulong[Count];
        var state = 0x5DEECE66DUL;
        for (var i = 0; i < masks.Length; i++)
        {
            while (BitOperations.PopCount(masks[i]) < BitsSet)
            {
                masks[i] |= 1UL << (int)(Next(ref state) & 63);
            }
        }

        return masks;
    }

    private static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
