using System.IO.Compression;
using System.Text;

namespace Postern.Plugins.Mta.Postfix.Tests;

/// <summary>Test messages: clean, and EICAR plain, zipped and inside a forwarded message.</summary>
internal static class Mail
{
    // The EICAR test file (eicar.org), split so that this source file itself is no test virus.
    public static readonly string Eicar = @"X5O!P%@AP[4\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    public static byte[] Clean(string id) => Bytes($"""
        From: Alice <a@test.example>
        To: Bob <b@test.example>
        Subject: clean {id}
        Date: Sat, 28 Nov 2026 20:00:00 +0000
        Message-ID: <{id}@test.example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=us-ascii

        Hello Bob,
        .a line that starts with a dot
        ..and one with two
        {string.Concat(Enumerable.Range(0, 200).Select(i => $"line {i} of a longer body, to cross buffer boundaries\n"))}
        .
        end

        """);

    public static byte[] Infected(string id, string kind) => kind switch
    {
        "plain" => Bytes($"From: a@test.example\nTo: b@test.example\nSubject: eicar {id}\nMessage-ID: <{id}@test.example>\n\n{Eicar}\n"),
        "zip" => Multipart(id, "application/zip; name=\"eicar.zip\"", "base64", Base64(Zip("eicar.com", Encoding.ASCII.GetBytes(Eicar)))),
        "forwarded" => Multipart(id, "message/rfc822", "7bit",
            $"From: c@test.example\nTo: a@test.example\nSubject: original\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"in\"\n\n--in\nContent-Type: text/plain\n\nsee attached\n--in\nContent-Type: application/octet-stream; name=\"eicar.com\"\nContent-Transfer-Encoding: base64\n\n{Base64(Encoding.ASCII.GetBytes(Eicar))}\n--in--\n"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>CRLF line ends, as on the wire.</summary>
    public static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal));

    private static byte[] Multipart(string id, string type, string encoding, string content) => Bytes($"""
        From: a@test.example
        To: b@test.example
        Subject: eicar {id}
        Message-ID: <{id}@test.example>
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="outer"

        --outer
        Content-Type: text/plain

        attached
        --outer
        Content-Type: {type}
        Content-Transfer-Encoding: {encoding}

        {content}
        --outer--

        """);

    private static string Base64(byte[] data) => string.Join("\n", Convert.ToBase64String(data).Chunk(76).Select(c => new string(c)));

    private static byte[] Zip(string name, byte[] content)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var s = zip.CreateEntry(name).Open();
            s.Write(content);
        }

        return ms.ToArray();
    }
}
