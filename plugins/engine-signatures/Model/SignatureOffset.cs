namespace Postern.Plugins.Engine.Signatures.Model;

/// <summary>
/// Where a body signature may start: anywhere, or in <c>[base, base + shift]</c> counted from the start or the
/// end of the item, as ClamAV reads <c>n,m</c> and <c>EOF-n,m</c>.
/// </summary>
internal readonly record struct SignatureOffset(OffsetKind Kind, long Base, long Shift)
{
    public static SignatureOffset Anywhere { get; } = new(OffsetKind.Any, 0, 0);

    public bool Allows(long start, long itemLength)
    {
        if (Kind == OffsetKind.Any)
        {
            return true;
        }

        var low = Kind == OffsetKind.FromStart ? Base : itemLength - Base;
        return low >= 0 && start >= low && start - low <= Shift;
    }
}
