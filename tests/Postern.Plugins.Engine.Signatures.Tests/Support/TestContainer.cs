using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Postern.Plugins.Engine.Signatures.Tests.Support;

/// <summary>
/// Writes ClamAV database containers: the 512-byte header and a tar (gzipped unless told otherwise) whose first
/// member is the <c>.info</c> file clamscan checks every other member against. clamscan loads such a container
/// unsigned only as <c>.cud</c>; it demands Talos' signature on <c>.cvd</c> and <c>.cld</c>.
/// </summary>
internal static class TestContainer
{
    private const long BuildTime = 1764356400;

    public static string PackDirectory(string source, string targetDirectory, string name, int version)
    {
        // Ignore lists first: ClamAV applies an ignore only to the lines it reads after it.
        var files = Directory.GetFiles(source).OrderBy(f => f.EndsWith(".ign2", StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(f => f, StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllBytes(f)));
        Directory.CreateDirectory(targetDirectory);
        var path = Path.Combine(targetDirectory, name);
        File.WriteAllBytes(path, Build([.. files], version));
        return path;
    }

    public static byte[] Build(IReadOnlyList<(string Name, byte[] Data)> members, int version, bool gzip = true, string? md5 = null)
    {
        var info = new StringBuilder(Header("0", version)).Append('\n');
        foreach (var (name, data) in members)
        {
            info.Append($"{name}:{data.Length}:{Convert.ToHexStringLower(SHA256.HashData(data))}\n");
        }

        using var body = new MemoryStream();
        using (var compressed = gzip ? new GZipStream(body, CompressionLevel.Fastest, leaveOpen: true) : (Stream)body)
        using (var tar = new TarWriter(compressed, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (name, data) in (IEnumerable<(string, byte[])>)[("test.info", Encoding.ASCII.GetBytes(info.ToString())), .. members])
            {
                tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
            }
        }

        var bodyBytes = body.ToArray();
        var header = Encoding.ASCII.GetBytes(Header(md5 ?? Convert.ToHexStringLower(MD5.HashData(bodyBytes)), version).PadRight(512));
        return [.. header, .. bodyBytes];
    }

    private static string Header(string md5, int version) =>
        $"ClamAV-VDB:28 Nov 2025 19-00 +0000:{version}:4:90:{md5}:unsigned:postern-tests:{BuildTime}";
}
