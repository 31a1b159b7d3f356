namespace Postern.Plugins.Engine.Signatures.Model;

/// <summary>
/// An <c>(aa|bb|cc)</c> or <c>!(aa|bb)</c> group inside a block: every option has the same width, so the group
/// occupies a fixed span of the block and blocks keep a fixed length.
/// </summary>
/// <param name="Offset">Where the group starts within its block.</param>
/// <param name="Width">The length of each option.</param>
/// <param name="Options">The options, concatenated.</param>
/// <param name="Negated">True for <c>!(..)</c>: the bytes must equal none of the options.</param>
internal sealed record AlternativeGroup(int Offset, int Width, byte[] Options, bool Negated)
{
    public bool Matches(ReadOnlySpan<byte> window)
    {
        var candidate = window.Slice(Offset, Width);
        var options = Options.AsSpan();
        for (var at = 0; at < options.Length; at += Width)
        {
            if (candidate.SequenceEqual(options.Slice(at, Width)))
            {
                return !Negated;
            }
        }

        return Negated;
    }
}
