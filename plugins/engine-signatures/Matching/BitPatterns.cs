using System.Numerics;
using System.Runtime.CompilerServices;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// 4,096 fixed 64-bit masks of four distinct bits each, for the prefilter's blocked Bloom test: one load from this
/// 32 KiB table per scanned byte. Measured in bench/engine's drop mode: four computed shifts and ors made the loop
/// about a third slower than the old single-bit test on the 20,000-signature database; the or of two masks from a
/// 1,024-entry table still cost 10%; one load from this table matches the single-bit test's speed there. A table
/// of whole masks lets a query through whenever its mask equals one already in the word (one chance in
/// <see cref="Count"/> per anchor there), hence 4,096 entries: 0.29% of random positions pass at 200,000 anchors,
/// against 0.26% for four computed bits and 0.5% with 1,024 entries.
/// </summary>
internal static class BitPatterns
{
    public const int Count = 4096;

    public const int BitsSet = 4;

    /// <summary>Built from SplitMix64 (Steele, Lea, Flood 2014) of a fixed seed, so every build has the same table.</summary>
    public static readonly ulong[] Masks = Create();

    /// <summary>The mask for a 64-bit hash: picked by its bits 16-27, below any word index (at most the top 20).</summary>
    public static ulong For(ref ulong masks, ulong hash) =>
        Unsafe.Add(ref masks, (int)(hash >> 16) & (Count - 1));

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
