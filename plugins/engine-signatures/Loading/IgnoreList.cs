using System.Security.Cryptography;
using System.Text;

namespace Postern.Plugins.Engine.Signatures.Loading;

/// <summary>
/// Signature names to leave out, from <c>.ign2</c> (<c>Name</c> or <c>Name:MD5</c>) and <c>.ign</c>
/// (<c>db:line:Name</c>) lines. With an MD5, the name is ignored only while the MD5 of its whole database line
/// matches, so an updated signature comes back into service, as ClamAV does.
/// </summary>
internal sealed class IgnoreList
{
    private readonly HashSet<string> _always = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _pinned = new(StringComparer.Ordinal);

    public bool IsEmpty => _always.Count == 0 && _pinned.Count == 0;

    public bool TryAdd(string line, out LineIssue issue)
    {
        issue = default;
        var fields = line.Split(':');
        var (name, md5) = fields.Length switch
        {
            1 => (fields[0], null),
            2 => (fields[0], fields[1]),
            3 => (fields[2], null),
            _ => (string.Empty, null),
        };
        if (name.Length == 0 || (md5 is not null && (md5.Length != 32 || !md5.All(char.IsAsciiHexDigit))))
        {
            issue = new LineIssue(IssueKinds.Malformed, "expected Name, Name:MD5 or db:line:Name");
            return false;
        }

        if (md5 is null)
        {
            _always.Add(name);
        }
        else if (_pinned.TryGetValue(name, out var pins))
        {
            pins.Add(md5.ToLowerInvariant());
        }
        else
        {
            _pinned.Add(name, [md5.ToLowerInvariant()]);
        }

        return true;
    }

    /// <summary>Whether a name is ignored whatever its line says.</summary>
    public bool IgnoresName(string name) => _always.Contains(name);

    /// <summary>Whether the signature <paramref name="name"/>, read from <paramref name="line"/>, is ignored.</summary>
    public bool Ignores(string name, string line)
    {
        if (_always.Contains(name))
        {
            return true;
        }

        if (!_pinned.TryGetValue(name, out var pins))
        {
            return false;
        }

        var digest = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(line)));
        return pins.Contains(digest);
    }
}
