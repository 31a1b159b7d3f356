using System.Text;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// Signature names by id, stored once as UTF-8 in one blob with an offset per name: a string is made only when a
/// finding is returned. 700,000 names as strings took about 35 MiB of small objects; as a blob, about 15 MiB.
/// </summary>
internal sealed class NameList
{
    private readonly byte[] _blob;
    private readonly int[] _starts;

    public NameList(byte[] blob, int[] starts)
    {
        _blob = blob;
        _starts = starts;
    }

    public int Count => _starts.Length - 1;

    public string this[int id] => Encoding.UTF8.GetString(_blob, _starts[id], _starts[id + 1] - _starts[id]);
}
