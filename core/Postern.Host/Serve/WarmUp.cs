using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Logging;
using Postern.Sdk.Messages;

namespace Postern.Host.Serve;

/// <summary>
/// A built-in message put through the policy path before the daemon takes mail: one submission more than there are
/// scan slots, all at once, so that one waits for a slot as messages do under load. The daemon runs JIT-compiled code
/// with tiered compilation off (<see cref="DaemonRestart"/>), so every method is compiled at full optimisation on its
/// first call: what the warm-up does not call is compiled inside real messages. Measured under the milter benchmark
/// (1000 messages): with one scan of a sample of multipart, quoted-printable, base64, zip and gzip, about 200 methods
/// were compiled inside the timed messages, a tenth of the daemon's CPU there, most of them the tar reader, forwarded
/// messages, the verification of a prefilter hit, and the wait for a scan slot with every async method above it. So
/// the sample also holds a preamble, a tar.gz, a forwarded message with a base64 attachment, and the EICAR test string with its
/// last character changed, which passes the prefilter and fails verification (the string is put together at run
/// time, so that no scanner takes this executable for the test file).
/// <para>Not a self-test: the dispatcher is a quiet twin of the daemon's (<see cref="Cli.HostRuntime.WarmUpDispatcher"/>:
/// no summary line, no quarantine), the result is logged at debug level and never acted on, and a failure only logs.
/// </para>
/// </summary>
internal static class WarmUp
{
    /// <summary>How many submissions run at once: one more than the scan slots.</summary>
    public static int Concurrency(Postern.Core.Scanning.ScanOptions options) => options.ScanSlots + 1;

    /// <summary>
    /// The sample <paramref name="concurrency"/> times at once through <paramref name="dispatcher"/> (the quiet twin),
    /// the last copy carrying the EICAR test string so that the path of a finding is compiled too; and, at the same
    /// time, the same copies through each agent with a path of its own (<see cref="IWarmUpAgent"/>: the milter
    /// session) into the same twin. At the same time, so that the agents' messages find the scan slots taken by the
    /// first copies (whose code is still being compiled) and wait for one, as messages under load do.
    /// </summary>
    public static async Task RunAsync(IMessageDispatcher dispatcher, IEnumerable<IAgent> agents, int concurrency, ILogger logger, CancellationToken ct,
        TimeSpan? agentTimeLimit = null)
    {
        var clean = Sample();
        ReadOnlyMemory<byte>[] copies = [.. Enumerable.Repeat<ReadOnlyMemory<byte>>(clean, Math.Max(1, concurrency - 1)), Sample(infected: true)];
        await Task.WhenAll([DirectAsync(dispatcher, copies, logger, ct), .. agents.OfType<IWarmUpAgent>().Select(a => AgentAsync(a, dispatcher, copies, logger, agentTimeLimit ?? AgentTimeLimit, ct))]);

        // The warm-up's garbage goes now, finalizers included (MimeKit's, the crypto handles'), so that neither
        // their collection nor the finalizers' compilation lands in the first real messages.
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    private static async Task DirectAsync(IMessageDispatcher dispatcher, ReadOnlyMemory<byte>[] copies, ILogger logger, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var envelope = new Envelope("postern@localhost", ["postern@localhost"], QueueId: "warm-up", Agent: "warm-up");
        try
        {
            // A thread each: the pool may start with fewer threads than submissions, and run them one after another.
            var decisions = await Task.WhenAll(copies.Select(copy => Task.Factory.StartNew(
                () => dispatcher.SubmitAsync(envelope, copy, ct).AsTask(), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()));
            WarmUpLog.Done(logger, decisions[0].Report.Status, decisions[0].Report.ItemCount, copies.Length, watch.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            WarmUpLog.Failed(logger, e);
        }
    }

    /// <summary>How long an agent's warm-up may take before the daemon starts without it.</summary>
    internal static readonly TimeSpan AgentTimeLimit = TimeSpan.FromSeconds(30);

    private static async Task AgentAsync(IWarmUpAgent agent, IMessageDispatcher dispatcher, ReadOnlyMemory<byte>[] copies, ILogger logger,
        TimeSpan timeLimit, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeLimit);
        try
        {
            await agent.WarmUpAsync(dispatcher, copies, limit.Token);
            WarmUpLog.AgentDone(logger, agent.Name, copies.Length, watch.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Boundary: a plugin's warm-up that fails or runs past its time only costs the compilation it would have
            // saved; the daemon starts anyway.
            WarmUpLog.AgentFailed(logger, agent.Name, e);
        }
    }

    /// <summary>The built-in message: text, HTML, a zip (a text member and a gzip member), a gzip, a tar.gz and a
    /// forwarded message with a base64 attachment.</summary>
    internal static byte[] Sample(bool infected = false)
    {
        // Numbered lines, so that the zip member's deflate stream has dynamic Huffman tables as real members do
        // (SharpCompress compiles their decoder separately from the fixed tables'); a line of text each otherwise.
        var text = string.Concat(Enumerable.Range(1, 200).Select(i => $"Postern warm-up line {i}, caf\u00e9 = ok.\r\n"));
        var gz = GZip(Encoding.UTF8.GetBytes(text));
        using var zipBytes = new MemoryStream();
        using (var zip = new ZipArchive(zipBytes, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var a = zip.CreateEntry("notes/readme.txt", CompressionLevel.Optimal).Open())
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
            .Append("This is a multi-part message in MIME format.\r\n")
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
            .Append("--=fwd\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n").Append(infected ? Eicar() : NearEicar()).Append("\r\n")
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

    /// <summary>The EICAR test string itself, put together the same way.</summary>
    internal static string Eicar() => string.Concat(@"X5O!P%@AP[4\PZX54(P^)7CC)7}$", "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H", "*");

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
    [LoggerMessage(EventId = 1090, Level = LogLevel.Debug, Message = "warm-up: {Status}, {Items} items, {Copies} at once, {Milliseconds:0} ms")]
    public static partial void Done(ILogger logger, ScanStatus status, int items, int copies, double milliseconds);

    [LoggerMessage(EventId = 1091, Level = LogLevel.Warning, Message = "warm-up scan failed (the daemon starts anyway)")]
    public static partial void Failed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1092, Level = LogLevel.Debug, Message = "warm-up: {Agent}: {Copies} at once, {Milliseconds:0} ms")]
    public static partial void AgentDone(ILogger logger, string agent, int copies, double milliseconds);

    [LoggerMessage(EventId = 1093, Level = LogLevel.Warning, Message = "warm-up of {Agent} failed (the daemon starts anyway)")]
    public static partial void AgentFailed(ILogger logger, string agent, Exception exception);
}
