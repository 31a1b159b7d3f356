using System.Net.Sockets;
using System.Text;
using Postern.MilterE2e;
using Postern.Testing;

namespace Postern.Plugins.Mta.Sendmail.Tests;

/// <summary>
/// Sendmail from Debian's package with Postern as its milter (INPUT_MAIL_FILTER, F=T), end to end over loopback:
/// an SMTP client, sendmail, postern serve, and a recording sink as the next hop.
/// </summary>
[Collection("sendmail")]
public sealed class SendmailMilterTests(PrivateSendmail sendmail) : IClassFixture<PrivateSendmail>
{
    [Fact]
    public async Task Clean_mail_is_delivered_unchanged_apart_from_the_marking_headers()
    {
        await using var postern = await Serve.StartAsync(sendmail.WriteConfig("clean"));
        var message = SmtpSend.Clean("clean one");
        var (code, text) = await SmtpSend.SendAsync(sendmail.Port, "a@example.org", ["r@example.net"], message);
        Assert.True(code == 250, text + "\n" + postern.Log);

        var delivered = Encoding.Latin1.GetString(sendmail.Sink.Take().Data);
        Assert.Contains("X-Virus-Scanned: Postern", delivered, StringComparison.Ordinal);
        Assert.Contains("X-Virus-Status: Clean\r\n", delivered, StringComparison.Ordinal);
        Assert.Contains("X-Postern-Original-X-Virus-Status: forged by the sender\r\n", delivered, StringComparison.Ordinal);
        Assert.DoesNotContain("\nX-Virus-Status: forged", delivered, StringComparison.Ordinal);

        // Everything else is as sent: the same headers in order (sendmail adds its own Received/Date/Return-Path) and the same body.
        var body = delivered[(delivered.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        Assert.Equal("hello, this is clean\r\nsecond line\r\n", body);
        foreach (var line in message.Split("\r\n").TakeWhile(l => l.Length > 0).Where(l => !l.StartsWith("X-Virus-Status", StringComparison.Ordinal)))
        {
            Assert.Contains(line + "\r\n", delivered, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EICAR_is_rejected_at_the_end_of_DATA_with_the_detection()
    {
        await using var postern = await Serve.StartAsync(sendmail.WriteConfig("reject"));
        var (code, text) = await SmtpSend.SendAsync(sendmail.Port, "a@example.org", ["r@example.net"], SmtpSend.Infected("infected"));
        Assert.True(code == 550, text + "\n" + postern.Log);
        Assert.Contains("5.7.1 Message rejected: infected: Eicar-Test-Signature", text, StringComparison.Ordinal);
        Assert.False(sendmail.Sink.Messages.TryTake(out _, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task A_cleaned_message_arrives_well_formed_with_the_notice()
    {
        var conf = sendmail.WriteConfig("clean-mode", global: "av_clean_mode = standard\naction_av_deleted = accept");
        await using var postern = await Serve.StartAsync(conf);
        var (code, text) = await SmtpSend.SendAsync(sendmail.Port, "a@example.org", ["r@example.net"], SmtpSend.Infected("to clean"));
        Assert.True(code == 250, text + "\n" + postern.Log);

        var delivered = sendmail.Sink.Take().Data;
        var textual = Encoding.Latin1.GetString(delivered);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.ASCII.GetBytes(SmtpSend.Eicar)), textual, StringComparison.Ordinal);
        Assert.Contains("X-Virus-Status: Cleaned", textual, StringComparison.Ordinal);
        Assert.Contains("Eicar-Test-Signature", textual[(textual.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..], StringComparison.Ordinal);
        Assert.Contains("see attachment", textual, StringComparison.Ordinal);

        // Well-formed: every boundary the top-level Content-Type names opens and closes, and the sink's copy scans clean.
        var boundary = System.Text.RegularExpressions.Regex.Match(textual, "boundary=\"?([^\"\r\n;]+)\"?").Groups[1].Value;
        Assert.NotEmpty(boundary);
        Assert.Contains($"\r\n--{boundary}\r\n", textual, StringComparison.Ordinal);
        Assert.Contains($"\r\n--{boundary}--", textual, StringComparison.Ordinal);
        var file = Path.Combine(sendmail.Dir, "cleaned.eml");
        await File.WriteAllBytesAsync(file, delivered);
        var scan = await PrivateSendmail.RunAsync(PosternDaemon.Executable, ["scan", "--no-summary", file]);
        Assert.True(scan.Exit == 0, scan.Output + scan.Error);
    }

    [Fact]
    public async Task A_message_for_the_hold_queue_stays_quarantined_in_the_sendmail_queue()
    {
        var conf = sendmail.WriteConfig("hold", global: "action_av_infected = accept", sendmail: "milter_hold = infected");
        await using var postern = await Serve.StartAsync(conf);
        var (code, text) = await SmtpSend.SendAsync(sendmail.Port, "a@example.org", ["r@example.net"], SmtpSend.Infected("hold me"));
        Assert.True(code == 250, text + "\n" + postern.Log);

        // sendmail keeps a quarantined envelope as hf<id> with a 'q' line holding the reason, and never delivers it.
        var held = sendmail.QueueFiles().Where(f => f.Text.Contains("\nqPostern: infected (Eicar-Test-Signature)", StringComparison.Ordinal)).ToList();
        Assert.True(held.Count == 1, string.Join("\n", sendmail.QueueFiles().Select(f => f.File)) + "\n" + postern.Log);
        var mailq = await sendmail.MailqAsync("-qQ");
        Assert.Contains("Postern: infected (Eicar-Test-Signature)", mailq.Output, StringComparison.Ordinal);
        Assert.False(sendmail.Sink.Messages.TryTake(out _, TimeSpan.FromSeconds(3)));
        foreach (var f in sendmail.QueueFiles())
        {
            File.Delete(Path.Combine(sendmail.Queue, f.File));
        }
    }

    [Fact]
    public async Task Postern_killed_during_a_body_replacement_makes_sendmail_tempfail_and_queues_nothing()
    {
        // Postern behind a relay on sendmail's milter socket that passes on only the first bytes of the body
        // replacement; Postern is killed while the rest is still unsent, and its connection then ends mid-packet.
        var behind = Path.Combine(sendmail.Dir, "behind.sock");
        var conf = sendmail.WriteConfig("kill", global: "av_clean_mode = standard\naction_av_deleted = accept", milterSocket: behind);
        var postern = await Serve.StartAsync(conf);
        await using var relay = new MilterCutRelay(new UnixDomainSocketEndPoint(sendmail.MilterSocket), new UnixDomainSocketEndPoint(behind));
        relay.Open();
        var before = sendmail.QueueFiles().Count();
        var sending = SmtpSend.SendAsync(sendmail.Port, "a@example.org", ["r@example.net"], SmtpSend.Infected("killed", padding: 24 * 1024 * 1024));

        Assert.True(await relay.Replacing.WaitAsync(TimeSpan.FromSeconds(120)).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default), postern.Log);
        Assert.Contains("cleaned: replaced", postern.Log, StringComparison.Ordinal);
        postern.Kill();
        await relay.CutAsync();
        var (code, text) = await sending;
        await postern.DisposeAsync();
        Assert.True(code is >= 400 and < 500, $"{code} {text}");
        await Task.Delay(1000);
        Assert.Equal(before, sendmail.QueueFiles().Count());
        Assert.False(sendmail.Sink.Messages.TryTake(out _, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task Recipients_with_different_decisions_the_accepting_one_gets_the_message_the_rejecting_one_is_removed()
    {
        var special = Path.Combine(sendmail.Dir, "special.conf");
        await File.WriteAllTextAsync(special, "[b@example.net]\naction_av_infected = accept\n");
        var conf = sendmail.WriteConfig("per-recipient", global: $"user_config = \"{special}\"");
        await using var postern = await Serve.StartAsync(conf);
        var (code, text) = await SmtpSend.SendAsync(sendmail.Port, "a@example.org", ["a@example.net", "b@example.net"], SmtpSend.Infected("two"));
        Assert.True(code == 250, text + "\n" + postern.Log);
        var delivered = sendmail.Sink.Take();
        Assert.Equal(["b@example.net"], delivered.Recipients);
        Assert.Contains("X-Virus-Status: Infected", Encoding.Latin1.GetString(delivered.Data), StringComparison.Ordinal);
        Assert.False(sendmail.Sink.Messages.TryTake(out _, TimeSpan.FromSeconds(3)));
    }
}
