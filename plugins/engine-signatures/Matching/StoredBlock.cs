namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>A block of a stored pattern, as offsets into the <see cref="PatternStore"/>'s flat arrays.</summary>
/// <param name="Values">Where the block's byte values start in the store's bytes.</param>
/// <param name="Masks">Where its masks start, or -1 for a static block (every position a plain byte).</param>
/// <param name="Length">The block's length.</param>
/// <param name="RunOffset">Where its longest plain run starts within the block.</param>
/// <param name="RunLength">The length of that run.</param>
/// <param name="FirstAlternative">Its first alternative group in the store.</param>
/// <param name="Alternatives">How many alternative groups it has.</param>
internal readonly record struct StoredBlock(
    int Values,
    int Masks,
    int Length,
    int RunOffset,
    int RunLength,
    int FirstAlternative,
    int Alternatives);
