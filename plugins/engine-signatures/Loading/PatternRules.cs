namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>
/// The minimum content ClamAV 1.4 demands of a body signature. ClamAV refuses the whole database over such a
/// line; we count the line instead, and every signature we keep has a static anchor of at least two bytes.
/// </summary>
internal static class PatternRules
{
    /// <summary>ClamAV's Boyer-Moore matcher takes plain byte strings of at least 3 bytes ("too short" below).</summary>
    public const int StaticMinimum = 3;

    /// <summary>Logical subsignatures always go to ClamAV's Aho-Corasick matcher, which takes 2 plain bytes.</summary>
    public const int SubsignatureStaticMinimum = 2;

    /// <summary>ClamAV's Aho-Corasick matcher needs a static run of 2 bytes in every part.</summary>
    private const int PartStaticRunMinimum = 2;

    public static bool Check(ReadOnlySpan<ParsedBlock> blocks, int staticMinimum, out LineIssue issue)
    {
        issue = default;
        if (blocks.Length == 1 && blocks[0].IsStatic && blocks[0].Length < staticMinimum)
        {
            issue = new LineIssue(IssueKinds.TooShort, $"a plain signature needs at least {staticMinimum} bytes");
            return false;
        }

        foreach (var block in blocks)
        {
            if (block.RunLength < PartStaticRunMinimum)
            {
                issue = new LineIssue(IssueKinds.TooShort, $"every part needs {PartStaticRunMinimum} plain bytes in a row");
                return false;
            }
        }

        return true;
    }
}
