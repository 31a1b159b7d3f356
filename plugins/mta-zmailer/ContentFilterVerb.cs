using System.Text;
using Microsoft.Extensions.Logging;
using Postern.Sdk.Cli;
using Postern.Sdk.Messages;

namespace Postern.Plugins.Mta.Zmailer;

/// <summary>The verb's settings. Immutable.</summary>
/// <param name="ReplyTimeout">The most a verdict may take before Postern answers a temporary refusal itself.</param>
internal sealed record ContentFilterOptions(TimeSpan ReplyTimeout);

/// <summary>
/// <c>postern zmailer-contentfilter [-Z zmailer.conf]</c>: smtpserver's content filter (smtpserver(8) "CONTENTFILTER
/// INTERFACE", subdaemon-ctf.c). One long-lived process: says <c>#hungry</c>, reads a spool file path (relative to the
/// working directory, $POSTOFFICE) per line, answers one verdict line <c>&lt;int&gt; &lt;smtp-code&gt; &lt;x.y.z&gt;
/// text</c> (at least two integers, never zero-padded) and <c>#hungry</c> again, until standard input ends.
/// </summary>
/// <remarks>
/// Verdicts: accept <c>0 250 2.6.0</c>; reject <c>-1 550 5.7.1</c>; defer and every internal failure
/// <c>-1 451 4.7.1</c> (ZMailer reads a negative value with a 4xx code as a temporary refusal); discard <c>1 250
/// 2.7.1</c> (freeze: ZMailer keeps it in its freezer, undelivered). The content filter cannot change the message, so
/// marking and cleaning do not apply here. smtpserver merges our stderr into the protocol stream: the wrapper script
/// <c>postern setup zmailer</c> installs sends standard error to a log file (a stray line would be ignored by ZMailer,
/// which keeps only lines starting with two integers, but it does not belong there).
/// </remarks>
internal sealed partial class ContentFilterVerb(IMessageDispatcher dispatcher, ContentFilterOptions options, ILogger<ContentFilterVerb> logger) : ICliVerb
{
    public const long MaxSpoolBytes = 256L << 20;

    public IReadOnlyList<string> Path { get; } = ["zmailer-contentfilter"];

    public string Description => "ZMailer smtpserver content filter (long-lived; PARAM contentfilter)";

    public int FailureExitCode => 75;

    public async Task<int> RunAsync(CliInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        using var input = new StreamReader(invocation.Input, Encoding.UTF8);
        var output = invocation.Output;
        await WriteAsync(output, "#hungry");
        while (!cancellationToken.IsCancellationRequested)
        {
            string? line;
            try
            {
                line = await input.ReadLineAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (line is null)
            {
                break;
            }

            if (line.Trim().Length == 0)
            {
                continue;
            }

            string verdict;
            try
            {
                verdict = await VerdictAsync(line.Trim(), cancellationToken);
            }
            catch (Exception e)
            {
                // Boundary: one bad message must not end the filter (smtpserver would fail open on the next ones).
                LogFailed(logger, line, e.Message);
                verdict = "-1 451 4.7.1 Postern: internal error, try again later";
            }

            await WriteAsync(output, verdict);
            await WriteAsync(output, "#hungry");
        }

        return 0;
    }

    private async Task<string> VerdictAsync(string path, CancellationToken ct)
    {
        byte[] file;
        try
        {
            var info = new FileInfo(path);
            if (info.Length > MaxSpoolBytes)
            {
                return $"-1 552 5.3.4 Postern: message over {MaxSpoolBytes} bytes, too large to scan";
            }

            file = await File.ReadAllBytesAsync(path, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogFailed(logger, path, e.Message);
            return "-1 451 4.7.1 Postern: cannot read the spool file, try again later";
        }

        if (SpoolFile.Parse(file) is not { } parsed)
        {
            LogFailed(logger, path, "no env-end line");
            return "-1 451 4.7.1 Postern: malformed spool file, try again later";
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.ReplyTimeout);
        MessageDecision decision;
        try
        {
            decision = await dispatcher.SubmitAsync(parsed.Envelope, parsed.Message, deadline.Token);
        }
        catch (OperationCanceledException)
        {
            return "-1 451 4.7.1 Postern: scan took too long, try again later";
        }

        var reason = Ascii(decision.Recipients.FirstOrDefault(r => r.Action == decision.Strictest)?.Reason ?? decision.Report.Status.ToString());
        return decision.Strictest switch
        {
            DecisionAction.Accept => $"0 250 2.6.0 Scanned by Postern: {reason}",
            DecisionAction.Reject => $"-1 550 5.7.1 Message refused: {reason}",
            DecisionAction.Discard => $"1 250 2.7.1 Message held: {reason}",
            _ => $"-1 451 4.7.1 Message deferred: {reason}",
        };
    }

    private static async Task WriteAsync(TextWriter output, string line)
    {
        await output.WriteAsync(line + "\n");
        await output.FlushAsync();
    }

    /// <summary>7-bit text without control characters (a CR would split the SMTP reply).</summary>
    private static string Ascii(string text)
    {
        var b = new StringBuilder(Math.Min(text.Length, 200));
        foreach (var c in text.Take(200))
        {
            b.Append(c is >= ' ' and < (char)127 ? c : '?');
        }

        return b.ToString();
    }

    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "zmailer content filter: {Path}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string path, string reason);
}
