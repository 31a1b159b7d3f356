using System.Text;

namespace Postern.Core.Tests.Marking;

/// <summary>Messages for the marking and cleaning tests; the marker string stands in for a virus.</summary>
internal static class TestMessages
{
    public const string Marker = "EVILMARKER";

    public static readonly string Attachment = Convert.ToBase64String(Encoding.ASCII.GetBytes("payload " + Marker + " payload"));

    public static byte[] WithInfectedAttachment(string newLine = "\r\n") => Encoding.ASCII.GetBytes(string.Join(newLine,
        "From: a@x.example",
        "To: b@example.org",
        "Subject: invoice",
        "X-Virus-Status: Clean",
        "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=\"BOUND\"",
        "",
        "preamble",
        "--BOUND",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "Please find the invoice attached.",
        "--BOUND",
        "Content-Type: application/octet-stream; name=\"invoice.exe\"",
        "Content-Disposition: attachment; filename=\"invoice.exe\"",
        "Content-Transfer-Encoding: base64",
        "",
        Attachment,
        "--BOUND",
        "Content-Type: image/png; name=\"logo.png\"",
        "Content-Transfer-Encoding: base64",
        "",
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
        "--BOUND--",
        ""));

    public static byte[] SinglePartInfected() => Encoding.ASCII.GetBytes(
        "From: a@x.example\r\nSubject: s\r\nContent-Type: text/plain\r\n\r\nhello " + Marker + "\r\n");

    public static byte[] Clean() => Encoding.ASCII.GetBytes(
        "From: a@x.example\r\nSubject: =?utf-8?q?caf=C3=A9?= menu\r\nX-Virus-Scanned: forged\r\n\r\nhello\r\n.dot\r\n");
}
