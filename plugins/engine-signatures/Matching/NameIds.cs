using Postern.Plugins.Engine.Signatures.Loading;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// The name id of every signature of a load, numbered in database order (body, logical, hash, then the built-in
/// name) so that findings come out in that order.
/// </summary>
/// <param name="Bodies">By body signature.</param>
/// <param name="Logicals">By logical signature.</param>
/// <param name="Hashes">By hash signature.</param>
/// <param name="Eicar">The built-in EICAR signature's.</param>
internal sealed record NameIds(int[] Bodies, int[] Logicals, int[] Hashes, int Eicar)
{
    public static NameIds Number(DatabaseContents contents, string builtIn, out NameList names)
    {
        var table = new NameTable(contents.Bodies.Count + contents.Logicals.Count + contents.Hashes.Count + 1);
        var bodies = new int[contents.Bodies.Count];
        for (var i = 0; i < bodies.Length; i++)
        {
            bodies[i] = table.Intern(contents.Bodies.NameUtf8(i));
        }

        var logicals = new int[contents.Logicals.Count];
        for (var i = 0; i < logicals.Length; i++)
        {
            logicals[i] = table.Intern(contents.Logicals[i].Name);
        }

        var hashes = new int[contents.Hashes.Count];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = table.Intern(contents.Hashes.NameUtf8(i));
        }

        var eicar = table.Intern(builtIn);
        names = table.ToList();
        return new NameIds(bodies, logicals, hashes, eicar);
    }
}
