using System.Security.Cryptography;
using System.Text;

namespace Postern.Plugins.Engine.Signatures.Tests.Support;

/// <summary>
/// Two databases, Old and New, with the same patterns under different names, and one item that holds every
/// pattern. A scan of the item on a whole database names every signature of that database and none of the other;
/// any mixture means a scan saw a half-built or half-swapped database.
/// </summary>
internal static class SwapDatabases
{
    public const int Patterns = 40;

    public static byte[] Item { get; } = BuildItem();

    public static string[] Names(string generation) =>
        [.. Enumerable.Range(0, Patterns).Select(i => $"{generation}.Body-{i}"), $"{generation}.Logical", $"{generation}.Hash"];

    /// <summary>Writes <paramref name="generation"/>'s files (<c>sigs.ndb</c>, <c>sigs.ldb</c>, <c>sigs.hdb</c>) into <paramref name="directory"/>.</summary>
    public static void Write(string directory, string generation)
    {
        var ndb = Enumerable.Range(0, Patterns).Select(i => $"{generation}.Body-{i}:0:*:{Pattern(i)}");
        Publish(directory, "sigs.ndb", string.Join('\n', ndb) + "\n");
        Publish(directory, "sigs.ldb", $"{generation}.Logical;Target:0;0&1>0;{Pattern(0)};{Pattern(1)}\n");
        Publish(directory, "sigs.hdb", $"{Convert.ToHexStringLower(MD5.HashData(Item))}:{Item.Length}:{generation}.Hash\n");
    }

    /// <summary>Writes beside the target and renames into place, as freshclam and <c>cp</c> + <c>mv</c> do.</summary>
    public static void Publish(string directory, string name, string content)
    {
        var temporary = Path.Combine(directory, $".{name}.tmp");
        File.WriteAllText(temporary, content);
        File.Move(temporary, Path.Combine(directory, name), overwrite: true);
    }

    private static string Pattern(int i) => Convert.ToHexStringLower(Encoding.ASCII.GetBytes($"SWAP-PATTERN-{i:D3}-"));

    private static byte[] BuildItem() =>
        Encoding.ASCII.GetBytes(string.Join(" filler ", Enumerable.Range(0, Patterns).Select(i => $"SWAP-PATTERN-{i:D3}-")));
}
