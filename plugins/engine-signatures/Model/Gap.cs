namespace Postern.Plugins.Engine.Signatures.Model;

/// <summary>The number of arbitrary bytes allowed between two blocks of a body signature.</summary>
/// <param name="Min">The fewest bytes.</param>
/// <param name="Max">The most bytes; <see cref="Unbounded"/> for <c>*</c> and <c>{n-}</c>.</param>
internal readonly record struct Gap(int Min, int Max)
{
    public const int Unbounded = int.MaxValue;

    public bool IsBounded => Max != Unbounded;
}
