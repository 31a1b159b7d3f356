using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Logging;
using Postern.Sdk.Messages;

namespace Postern.Host.Serve;

/// <summary>
/// One scan of a built-in message before the daemon takes mail. The host runs its ReadyToRun code with tiered
/// compilation off, so what was not precompiled (generic code across assemblies, plugin paths) is compiled on first
/// use at full optimisation: without this, on the time of the first real messages with attachments (measured under
/// the milter benchmark: a third of a thousand methods, 6% of the daemon's CPU, all inside timed messages). The
/// sample walks the common paths: multipart, quoted-printable, base64, zip, gzip, every engine. Not a self-test: the
/// result is logged, never acted on, and a failure here only logs.
/// <para>Since the daemon runs JIT-compiled code throughout (<see cref="JitRestart"/>), everything the sample leaves out
/// is compiled inside real messages: under the milter benchmark about 200 methods, a tenth of the daemon's CPU over
/// 1000 messages, most of them the tar reader, forwarded messages and the verification of a prefilter hit. So the
/// sample also holds a tar.gz, a forwarded message with a base64 attachment, and the EICAR test string with its last
/// character changed, which passes the prefilter and fails verification (the string is put together at run time, so
/// that no scanner takes this executable for the test file).</para>
/// </summary>
internal static class WarmUp
{
    public static async Task RunAsync(IMessageScanner scanner, ILogger logger, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var report = await scanner.ScanAsync(new ScanRequest(Sample(), "warm-up", IsMessage: true), ct);
            WarmUpLog.Done(logger, report.Status, report.ItemCount, watch.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            WarmUpLog.Failed(logger, e);
        }
    }

    /// <summary>The built-in message: text, HTML, a zip (a text member and a gzip member), a gzip, a tar.gz and a
    /// forwarded message with a base64 attachment.</summary>
    internal static byte[] Sample()
    {
        var text = string.Concat(Enumerable.Repeat("Postern warm-up line, caf\u00e9 = ok.\r\n", 200));
        var gz = GZip(Encoding.UTF8.GetBytes(text));
        using var zipBytes = new MemoryStream();
        using (var zip = new ZipArchive(zipBytes, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var a = zip.CreateEntry("notes/readme.txt", CompressionLevel.Fastest).Open())
            {
                a.Write(Encoding.UTF8.GetBytes(text));
            }

            using (var b = zip.CreateEntry("notes/readme.txt.gz", CompressionLevel.NoCompression).Open())
            {
                b.Write(gz);
            }
        }

        var mail = new StringBuilder()
            .Append("From: postern@localhost\r\nTo: postern@localhost\r\nSubject: warm-up\r\nMIME-Version: 1.0\r\n")
            .Append("Content-Type: multipart/mixed; boundary=\"=warm\"\r\n\r\n")
            .Append("--=warm\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
            .Append("Postern warm-up caf=C3=A9=\r\n line.\r\n")
            .Append("--=warm\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            .Append(Base64(Encoding.UTF8.GetBytes("<html><body><p>" + text + "</p></body></html>")))
            .Append("--=warm\r\nContent-Type: application/zip; name=\"notes.zip\"\r\nContent-Transfer-Encoding: base64\r\n")
            .Append("Content-Disposition: attachment; filename=\"notes.zip\"\r\n\r\n")
            .Append(Base64(zipBytes.ToArray()))
            .Append("--=warm\r\nContent-Type: application/gzip; name=\"log.gz\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            .Append(Base64(gz))
            .Append("--=warm\r\nContent-Type: application/gzip; name=\"backup.tar.gz\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            .Append(Base64(GZip(Tar("backup/readme.txt", Encoding.UTF8.GetBytes(text)))))
            .Append("--=warm\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"forward.eml\"\r\n\r\n")
            .Append("From: postern@localhost\r\nSubject: Fwd: warm-up\r\nMIME-Version: 1.0\r\n")
            .Append("Content-Type: multipart/mixed; boundary=\"=fwd\"\r\n\r\n")
            .Append("--=fwd\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n").Append(NearEicar()).Append("\r\n")
            .Append("--=fwd\r\nContent-Type: application/octet-stream; name=\"notes.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            .Append(Base64(Encoding.UTF8.GetBytes(text)))
            .Append("--=fwd--\r\n")
            .Append("--=warm--\r\n");
        return Encoding.ASCII.GetBytes(mail.ToString());
    }

    /// <summary>A tar archive of one file.</summary>
    private static byte[] Tar(string name, byte[] data)
    {
        using var output = new MemoryStream();
        using (var tar = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true))
        {
            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        }

        return output.ToArray();
    }

    /// <summary>The EICAR test string with its last character changed: a prefilter hit that verification turns down.</summary>
    private static string NearEicar() => string.Concat(@"X5O!P%@AP[4\PZX54(P^)7CC)7}$", "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H", "#");

    private static byte[] GZip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static string Base64(byte[] data) =>
        Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks) + "\r\n";
}

/// <summary>The warm-up's log lines (event ids 1090-1099).</summary>
internal static partial class WarmUpLog
{
    [LoggerMessage(EventId = 1090, Level = LogLevel.Debug, Message = "warm-up scan: {Status}, {Items} items, {Milliseconds:0} ms")]
    public static partial void Done(ILogger logger, ScanStatus status, int items, double milliseconds);

    [LoggerMessage(EventId = 1091, Level = LogLevel.Warning, Message = "warm-up scan failed (the daemon starts anyway)")]
    public static partial void Failed(ILogger logger, Exception exception);
}
