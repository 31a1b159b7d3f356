using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Postern.Protocols.Clamd;
using Postern.Sdk.Messages;

namespace Postern.Plugins.Mta.Exim;

/// <summary>
/// What the clamd server calls for Exim. A mail message (Exim's spool copy, <c>scan/ID/ID.eml</c>, or a stream that
/// starts with a header field) goes through the host's policy dispatcher as agent <c>exim</c>: Postern's quarantine
/// copy, notify command and summary line apply; the reply is the scan result, and Exim decides (deny or accept).
/// Anything else (clamdscan on arbitrary files) is scanned plainly, as clamd would.
/// </summary>
/// <remarks>Exim's clamd client sends no envelope, so the dispatcher sees no sender and no recipients: only
/// <c>[global]</c> and <c>[exim]</c> settings apply, never the special sections. Threading: thread-safe.</remarks>
internal sealed partial class EximBackend(IMessageDispatcher dispatcher, IMessageScanner scanner) : IClamdBackend
{
    public async ValueTask<ScanReport> ScanAsync(ClamdScanRequest request, CancellationToken cancellationToken)
    {
        if (!LooksLikeMessage(request.Content.Span))
        {
            return await scanner.ScanAsync(new ScanRequest(request.Content, request.Name), cancellationToken);
        }

        var envelope = new Envelope("", [], QueueId: QueueId(request), Agent: "exim");
        var decision = await dispatcher.SubmitAsync(envelope, request.Content, cancellationToken);
        var report = decision.Report;
        if (report.Status == ScanStatus.NotScanned && report.ItemCount == 0 && report.Findings.IsEmpty
            && decision.Strictest == DecisionAction.Accept && report.NotScannedReasons.Any(r => r.Contains("action_av", StringComparison.Ordinal)))
        {
            // action_av = accept in [exim]: the administrator chose to pass mail unscanned; answer as Exim expects.
            return report with { Status = ScanStatus.Clean, NotScannedReasons = ImmutableArray<string>.Empty };
        }

        return report;
    }

    /// <summary>RELOAD: the daemon reloads every engine on SIGHUP; send it to ourselves.</summary>
    public void RequestReload() => _ = Kill(Environment.ProcessId, 1);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    /// <summary>Exim scans <c>SPOOL/scan/MESSAGE-ID/MESSAGE-ID.eml</c>: the file name is the queue id for the log.</summary>
    private static string? QueueId(ClamdScanRequest request)
    {
        var path = request.ResolvedPath ?? request.Name;
        return path.EndsWith(".eml", StringComparison.Ordinal) ? Path.GetFileNameWithoutExtension(path) : null;
    }

    /// <summary>The first line is a header field (<c>Name: value</c>, RFC 5322 field-name characters) or an mbox
    /// <c>From </c> line.</summary>
    internal static bool LooksLikeMessage(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith("From "u8))
        {
            return true;
        }

        var i = 0;
        while (i < content.Length && i < 100 && content[i] is >= 33 and <= 126 and not (byte)':')
        {
            i++;
        }

        return i > 0 && i < content.Length && content[i] == (byte)':';
    }
}
