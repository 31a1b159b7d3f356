using System.Text;

namespace Postern.Extraction.Tests.Support;

public static class Payloads
{
    /// <summary>Built from two halves so that no file in the repository carries the EICAR string as such.</summary>
    public static byte[] Eicar { get; } =
        Encoding.ASCII.GetBytes(@"X5O!P%@AP[4\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*");

    public static byte[] Marker(string name) => Encoding.ASCII.GetBytes($"payload start MARKER-{name} payload end\n");

    public static string Base64Lines(byte[] data)
    {
        var text = Convert.ToBase64String(data);
        var builder = new StringBuilder();
        for (var i = 0; i < text.Length; i += 76)
        {
            builder.Append(text, i, Math.Min(76, text.Length - i)).Append('\n');
        }

        return builder.ToString();
    }

    public static string Headers(string contentType) =>
        $"From: a@example.org\nTo: b@example.org\nSubject: t\nMIME-Version: 1.0\nContent-Type: {contentType}\n";

    public static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
