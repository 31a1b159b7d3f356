using System.Globalization;
using System.Security.Cryptography;

namespace Postern.Plugins.Engine.Signatures.Tests.Support;

/// <summary>
/// A deterministic database (.ndb, .ldb, .hdb, .hsb, .fp, .sfp, .ign2) and data files with planted and nearly
/// planted signatures, written to a directory for both clamscan and our engine. Files are random bytes behind a prefix no ClamAV file
/// type starts with, so clamscan treats them as plain binary data and scans the same bytes we do.
/// </summary>
internal sealed class DifferentialCorpus
{
    private static readonly byte[] Prefix = [0x8F, 0x9E, 0x5A, 0x11, 0xC3, 0x07];

    private readonly Random _random;
    private readonly List<GeneratedSignature> _bodies = [];
    private readonly List<GeneratedLogical> _logicals = [];
    private readonly List<string> _fp = [];
    private readonly List<string> _sfp = [];
    private readonly List<string> _hdb = [];
    private readonly List<string> _hsb = [];

    private readonly int _firstRun;

    /// <param name="seed">Seeds everything generated.</param>
    /// <param name="root">The folder the database and files go in.</param>
    /// <param name="firstRun">The shortest plain run that starts each signature (see <see cref="SignatureGenerator"/>).</param>
    public DifferentialCorpus(int seed, string root, int firstRun = 3)
    {
        _firstRun = firstRun;
        _random = new Random(seed);
        DatabaseDirectory = Directory.CreateDirectory(Path.Combine(root, "db")).FullName;
        FileDirectory = Directory.CreateDirectory(Path.Combine(root, "files")).FullName;
    }

    public string DatabaseDirectory { get; }

    public string FileDirectory { get; }

    public List<string> Files { get; } = [];

    public IReadOnlyList<GeneratedSignature> Bodies => _bodies;

    public IReadOnlyList<GeneratedLogical> Logicals => _logicals;

    /// <summary>Names on the ignore list.</summary>
    public List<string> Ignored { get; } = [];

    /// <summary>The files on an allow list.</summary>
    public List<string> Allowed { get; } = [];

    /// <summary>The line of the database that defines <paramref name="name"/>, for failure messages.</summary>
    public string Describe(string name) =>
        _bodies.FirstOrDefault(b => b.Name == name)?.NdbLine ?? _logicals.FirstOrDefault(l => l.Name == name)?.LdbLine ?? name;

    public void Generate(int bodySignatures, int bodyFiles, int hashFiles, int logicalSignatures = 0)
    {
        for (var i = 0; i < bodySignatures; i++)
        {
            _bodies.Add(SignatureGenerator.Create(_random, i, firstRun: _firstRun));
        }

        for (var i = 0; i < logicalSignatures; i++)
        {
            _logicals.Add(LogicalGenerator.Create(_random, i, _firstRun));
        }

        for (var i = 0; i < bodyFiles; i++)
        {
            var data = BodyFile();
            var path = WriteFile($"body-{i:D3}.bin", data);
            if (i % 9 == 4)
            {
                // Allow-listed whatever they hold: by MD5, SHA-1 or SHA-256, with the exact size or *.
                var kind = Allowed.Count;
                Allowed.Add(path);
                var list = kind % 3 == 0 ? _fp : _sfp;
                list.Add($"{AllowHash(data, kind)}:{(kind % 4 == 1 ? "*" : data.Length)}:Diff.Allow-{i}:73");
            }
        }

        Ignored.AddRange(_bodies.Where((_, i) => i % 25 == 3).Select(b => b.Name));
        Ignored.AddRange(_logicals.Where((_, i) => i % 20 == 5).Select(l => l.Name));

        for (var i = 0; i < hashFiles; i++)
        {
            WriteFile($"hash-{i:D3}.bin", HashFile(i));
        }

        File.WriteAllLines(Path.Combine(DatabaseDirectory, "diff.ndb"), _bodies.Select(b => b.NdbLine));
        File.WriteAllLines(Path.Combine(DatabaseDirectory, "diff.hdb"), _hdb);
        File.WriteAllLines(Path.Combine(DatabaseDirectory, "diff.hsb"), _hsb);
        if (logicalSignatures > 0)
        {
            File.WriteAllLines(Path.Combine(DatabaseDirectory, "diff.ldb"), _logicals.Select(l => l.LdbLine));
            File.WriteAllLines(Path.Combine(DatabaseDirectory, "diff.fp"), _fp);
            File.WriteAllLines(Path.Combine(DatabaseDirectory, "diff.sfp"), _sfp);
            File.WriteAllLines(Path.Combine(DatabaseDirectory, "diff.ign2"), Ignored);
        }
    }

    private static string AllowHash(byte[] data, int index) => Convert.ToHexStringLower((index % 3) switch
    {
        0 => MD5.HashData(data),
        1 => SHA1.HashData(data),
        _ => SHA256.HashData(data),
    });

    private byte[] BodyFile()
    {
        var data = RandomData(1024 + _random.Next(12 * 1024));
        for (var plants = _random.Next(4); plants > 0; plants--)
        {
            var signature = _bodies[_random.Next(_bodies.Count)];
            var instance = signature.Instance(_random, breakOne: _random.Next(10) < 3);
            if (instance.Length >= data.Length)
            {
                continue;
            }

            var at = Position(signature.Offset, data.Length, instance.Length);
            if (at >= 0 && at + instance.Length <= data.Length)
            {
                instance.CopyTo(data, at);
            }
        }

        for (var plants = _logicals.Count == 0 ? 0 : _random.Next(3); plants > 0; plants--)
        {
            foreach (var (subsignature, instance) in _logicals[_random.Next(_logicals.Count)].Plants(_random))
            {
                var at = instance.Length < data.Length ? Position(subsignature.Offset, data.Length, instance.Length) : -1;
                if (at >= 0 && at + instance.Length <= data.Length)
                {
                    instance.CopyTo(data, at);
                }
            }
        }

        return data;
    }

    /// <summary>Where an instance goes: where its offset says (sometimes one byte off), else anywhere.</summary>
    private int Position(string offset, int length, int instanceLength)
    {
        var nudge = _random.Next(6) == 0 ? (_random.Next(2) * 2) - 1 : 0;
        if (offset == "*")
        {
            return _random.Next(length - instanceLength);
        }

        var fromEnd = offset.StartsWith("EOF-", StringComparison.Ordinal);
        var fields = (fromEnd ? offset[4..] : offset).Split(',');
        var start = int.Parse(fields[0], CultureInfo.InvariantCulture);
        var shift = fields.Length > 1 ? _random.Next(int.Parse(fields[1], CultureInfo.InvariantCulture) + 2) : 0;
        return (fromEnd ? length - start : start) + shift + nudge;
    }

    private byte[] HashFile(int index)
    {
        var data = RandomData(200 + _random.Next(3000));
        var name = $"Diff.Hash-{index}";
        var (digest, list) = (index % 3) switch
        {
            0 => (MD5.HashData(data), _random.Next(2) == 0 ? _hdb : _hsb),
            1 => (SHA1.HashData(data), _hsb),
            _ => (SHA256.HashData(data), _hsb),
        };
        var hex = Convert.ToHexStringLower(digest);
        switch (_random.Next(6))
        {
            case 0: list.Add($"{hex}:*:{name}:73"); break;
            case 1: list.Add($"{hex}:{data.Length + 1}:{name}"); break;
            case 2:
                list.Add($"{hex}:{data.Length}:{name}");
                data[_random.Next(data.Length)] ^= 0x20;
                break;
            default: list.Add($"{hex}:{data.Length}:{name}"); break;
        }

        list.Add($"{Convert.ToHexStringLower(MD5.HashData(RandomData(64)))}:{data.Length}:{name}.Decoy");
        return data;
    }

    private byte[] RandomData(int length)
    {
        var data = new byte[length];
        _random.NextBytes(data);
        Prefix.CopyTo(data, 0);
        return data;
    }

    private string WriteFile(string name, byte[] data)
    {
        var path = Path.Combine(FileDirectory, name);
        File.WriteAllBytes(path, data);
        Files.Add(path);
        return path;
    }
}
