using System.IO.Compression;
using System.Text;

namespace Postern.Host.Tests;

/// <summary>Test content built at run time, so no scanner on a developer's machine trips over the sources.</summary>
internal static class TestFiles
{
    /// <summary>The 68-byte EICAR test file, assembled from two halves.</summary>
    public static byte[] Eicar { get; } = Encoding.ASCII.GetBytes(@"X5O!P%@AP[4\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*");

    public static byte[] Zip(string name, byte[] content)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var s = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
            s.Write(content);
        }

        return ms.ToArray();
    }

    public static string Base64Lines(byte[] data)
    {
        var b64 = Convert.ToBase64String(data);
        var sb = new StringBuilder();
        for (var i = 0; i < b64.Length; i += 76)
        {
            sb.Append(b64.AsSpan(i, Math.Min(76, b64.Length - i))).Append("\r\n");
        }

        return sb.ToString();
    }

    public static string MessageWithAttachment(string subject, string fileName, byte[] data) =>
        "From: a@example.org\r\nTo: b@example.net\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n" +
        "Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\nhello\r\n" +
        "--XX\r\nContent-Type: application/octet-stream; name=\"" + fileName + "\"\r\nContent-Transfer-Encoding: base64\r\n" +
        "Content-Disposition: attachment; filename=\"" + fileName + "\"\r\n\r\n" + Base64Lines(data) + "--XX--\r\n";

    public static string Forwarded(string inner) =>
        "From: c@example.org\r\nTo: d@example.net\r\nSubject: Fwd\r\nMIME-Version: 1.0\r\n" +
        "Content-Type: multipart/mixed; boundary=\"YY\"\r\n\r\n--YY\r\nContent-Type: text/plain\r\n\r\nsee below\r\n" +
        "--YY\r\nContent-Type: message/rfc822\r\n\r\n" + inner + "\r\n--YY--\r\n";

    /// <summary>A zip whose one member inflates to <paramref name="size"/> zero bytes: about 1 MiB per GiB.</summary>
    public static byte[] ZeroBomb(long size)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var s = zip.CreateEntry("zeros.bin", CompressionLevel.SmallestSize).Open();
            var block = new byte[1 << 20];
            for (long n = 0; n < size; n += block.Length)
            {
                s.Write(block);
            }
        }

        return ms.ToArray();
    }

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "postern-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
