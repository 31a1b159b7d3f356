namespace Postern.Plugins.Engine.Signatures.Model;

/// <summary>What a body signature's offset field is counted from.</summary>
internal enum OffsetKind
{
    /// <summary><c>*</c>: anywhere.</summary>
    Any,

    /// <summary><c>n</c> or <c>n,m</c>: from the start of the item.</summary>
    FromStart,

    /// <summary><c>EOF-n</c> or <c>EOF-n,m</c>: back from the end of the item.</summary>
    FromEnd,
}
