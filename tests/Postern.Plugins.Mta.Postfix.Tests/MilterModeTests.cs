using System.Collections.Immutable;
using System.Text;
using Postern.Protocols.Smtp;
using Postern.Testing;

namespace Postern.Plugins.Mta.Postfix.Tests;

/// <summary>
/// Postfix milter mode on loopback: a real client → private Postfix (smtpd 22110) with Postern's milter agent
/// (22112) in smtpd_milters, set up by the real <c>postern setup postfix --mode milter</c> → the recording sink (22111).
/// </summary>
public sealed class MilterPipeline : IAsyncLifetime
{
    public const int SmtpdPort = 22110;
    public const int SinkPort = 22111;
    public const int MilterPort = 22112;

    public RecordingSmtpSink Sink { get; private set; } = null!;

    public PrivatePostfix Postfix { get; private set; } = null!;

    public string Work { get; } = Directory.CreateTempSubdirectory("postern-milter-e2e.").FullName;

    public string SetupOutput { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        Sink = new RecordingSmtpSink(SinkPort);
        Postfix = PrivatePostfix.Create(new PrivatePostfixOptions { SmtpPort = SmtpdPort, RelayPort = SinkPort, Name = "postfix-milter" });
        await Postfix.StartAsync();
        var setup = await PosternDaemon.RunAsync(
            ["-c", Conf("setup.conf"), "setup", "postfix", "--mode", "milter", "--config-dir", Postfix.ConfigDirectory, "--state-dir", Path.Combine(Work, "state")],
            TimeSpan.FromSeconds(120));
        SetupOutput = setup.ToString();
        if (setup.ExitCode != 0)
        {
            throw new InvalidOperationException("postern setup postfix --mode milter failed: " + setup);
        }
    }

    /// <summary>A postern.conf with the milter agent on <paramref name="milterPort"/> (by default <see cref="MilterPort"/>,
    /// where Postfix looks for it) and extra lines.</summary>
    public string Conf(string name, string global = "", string postfix = "", int milterPort = MilterPort)
    {
        var path = Path.Combine(Work, name);
        File.WriteAllText(path, $"""
            [global]
            av_quarantine_dir = {Path.Combine(Work, "quarantine")}
            run_dir = {Path.Combine(Work, "run")}
            syslog_enabled = no
            {global}

            [postfix]
            listen = 127.0.0.1:22113
            reinject = 127.0.0.1:22114
            milter = yes
            milter_listen = inet:127.0.0.1:{milterPort}
            {postfix}

            """);
        return path;
    }

    public async Task<PosternDaemon> StartPosternAsync(string conf)
    {
        var d = PosternDaemon.Start("-c", conf);
        if (!await d.WaitForLogAsync("Agent milter (postfix) started", TimeSpan.FromSeconds(60)))
        {
            throw new InvalidOperationException("postern serve did not start its milter agent:\n" + d.Log);
        }

        return d;
    }

    /// <summary>Sends over SMTP; a refusal comes back as the reply, not an exception.</summary>
    public static async Task<SmtpReply> SendAsync(byte[] message)
    {
        try
        {
            var d = await new SmtpClient(new SmtpClientOptions { HeloName = "client.test.example" }).SendAsync("127.0.0.1", SmtpdPort,
                new SmtpEnvelope("a@test.example", [], [new SmtpRecipient("b@test.example")], ImmutableDictionary<string, string>.Empty),
                message, CancellationToken.None);
            return d.DataReply;
        }
        catch (SmtpException e) when (e.Reply is not null)
        {
            return e.Reply;
        }
    }

    /// <summary>The messages at the sink whose headers mention ID@test.example in angle brackets.</summary>
    public IReadOnlyList<RecordedMessage> Arrived(string id) => Sink.WithHeader($"<{id}@test.example>");

    /// <summary>Waits until such a message reached the sink.</summary>
    public Task<RecordedMessage?> WaitForAsync(string id, TimeSpan timeout) => Sink.WaitForHeaderAsync($"<{id}@test.example>", timeout);

    public async ValueTask DisposeAsync()
    {
        await Postfix.DisposeAsync();
        await Sink.DisposeAsync();
        Directory.Delete(Work, recursive: true);
    }
}

public sealed class MilterModeTests(MilterPipeline pipe) : IClassFixture<MilterPipeline>
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(60);

    private string Diagnostics(PosternDaemon postern) =>
        $"--- setup\n{pipe.SetupOutput}\n--- maillog\n{pipe.Postfix.MaillogTail(40)}\n--- postern\n{string.Join('\n', postern.Log.Split('\n').TakeLast(30))}";

    [Fact]
    public async Task Setup_put_the_milter_into_main_cf_with_tempfail_as_the_default_action()
    {
        var main = await File.ReadAllTextAsync(Path.Combine(pipe.Postfix.ConfigDirectory, "main.cf"), TestContext.Current.CancellationToken);
        Assert.Contains($"smtpd_milters = inet:127.0.0.1:{MilterPipeline.MilterPort}", main, StringComparison.Ordinal);
        Assert.Contains($"non_smtpd_milters = inet:127.0.0.1:{MilterPipeline.MilterPort}", main, StringComparison.Ordinal);
        var effective = await pipe.Postfix.PostconfAsync("-h", "milter_default_action", "milter_protocol");
        Assert.Equal("tempfail\n6", effective.Stdout.Trim().Replace("\r", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Clean_mail_is_delivered_unchanged_apart_from_the_marking_headers()
    {
        await using var postern = await pipe.StartPosternAsync(pipe.Conf("clean.conf"));
        var original = Mail.Clean("milter-clean");
        var reply = await MilterPipeline.SendAsync(original);
        Assert.True(reply.IsPositive, reply + "\n" + Diagnostics(postern));
        var m = await pipe.WaitForAsync("milter-clean", Delivery);
        Assert.True(m is not null, Diagnostics(postern));
        var split = original.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.Equal(original[(split + 4)..], m.Body);
        Assert.Contains("X-Virus-Status: Clean\r\n", m.Headers, StringComparison.Ordinal);
        Assert.Contains("X-Virus-Scanned: Postern", m.Headers, StringComparison.Ordinal);
        foreach (var line in Encoding.ASCII.GetString(original[..split]).Split("\r\n"))
        {
            Assert.Contains(line + "\r\n", m.Headers, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EICAR_is_rejected_at_the_end_of_DATA_with_the_detection()
    {
        await using var postern = await pipe.StartPosternAsync(pipe.Conf("reject.conf"));
        var reply = await MilterPipeline.SendAsync(Mail.Infected("milter-eicar", "zip"));
        Assert.True(reply.Code == 550, reply + "\n" + Diagnostics(postern));
        Assert.Contains("5.7.1 Message rejected: infected: Eicar-Test-Signature", reply.Text, StringComparison.Ordinal);
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.Empty(pipe.Arrived("milter-eicar"));
    }

    [Fact]
    public async Task A_quarantined_message_sits_in_the_Postfix_hold_queue()
    {
        await using var postern = await pipe.StartPosternAsync(pipe.Conf("hold.conf", global: "action_av_infected = accept", postfix: "milter_hold = infected"));
        var reply = await MilterPipeline.SendAsync(Mail.Infected("milter-hold", "plain"));
        Assert.True(reply.IsPositive, reply + "\n" + Diagnostics(postern));
        Assert.True(await pipe.Postfix.WaitForLogAsync("milter-hold: END-OF-MESSAGE", Delivery), Diagnostics(postern));
        var queue = await ProcessRunner.RunAsync("/usr/sbin/postqueue", ["-c", pipe.Postfix.ConfigDirectory, "-j"], TimeSpan.FromSeconds(30));
        var held = queue.Stdout.Split('\n').Where(l => l.Contains("\"queue_name\": \"hold\"", StringComparison.Ordinal)).ToList();
        Assert.True(held.Count == 1, queue.Stdout + Diagnostics(postern));
        var holdLine = pipe.Postfix.ReadMaillog().Split('\n').First(l => l.Contains("milter-hold: END-OF-MESSAGE", StringComparison.Ordinal));
        Assert.Contains("<milter-hold@test.example>", queue.Stdout + holdLine + pipe.Postfix.ReadMaillog(), StringComparison.Ordinal);
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.Empty(pipe.Arrived("milter-hold"));
        var id = System.Text.RegularExpressions.Regex.Match(held[0], "\"queue_id\": \"([0-9A-Za-z]+)\"").Groups[1].Value;
        await ProcessRunner.RunAsync("/usr/sbin/postsuper", ["-c", pipe.Postfix.ConfigDirectory, "-d", id], TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Postern_killed_during_a_body_replacement_makes_Postfix_tempfail_and_queue_nothing()
    {
        // Postern behind a relay on Postfix's milter port that passes on only the first bytes of the body replacement;
        // Postern is killed while the rest is still unsent, and its connection to Postfix then ends mid-packet.
        const int behind = MilterPipeline.MilterPort + 4;
        var postern = await pipe.StartPosternAsync(pipe.Conf("kill.conf", global: "av_clean_mode = standard\naction_av_deleted = accept", milterPort: behind));
        await using var relay = new MilterCutRelay(MilterPipeline.MilterPort, behind);
        relay.Open();
        var before = pipe.Postfix.QueueCount();
        var pad = string.Concat(Enumerable.Repeat("padding line of plain text to make the message large....\n", 8 * 1024 * 1024 / 57));
        var message = Mail.Bytes($"From: a@test.example\nTo: b@test.example\nSubject: kill\nMessage-ID: <milter-kill@test.example>\nMIME-Version: 1.0\n"
            + "Content-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain\n\n" + pad
            + "--b1\nContent-Type: application/octet-stream; name=\"eicar.com\"\nContent-Transfer-Encoding: base64\n\n"
            + Convert.ToBase64String(Encoding.ASCII.GetBytes(Mail.Eicar)) + "\n--b1--\n");
        var sending = MilterPipeline.SendAsync(message);
        Assert.True(await relay.Replacing.WaitAsync(TimeSpan.FromSeconds(120), TestContext.Current.CancellationToken).ContinueWith(t => t.IsCompletedSuccessfully,
            TaskScheduler.Default), Diagnostics(postern));
        Assert.Contains("cleaned: replaced", postern.Log, StringComparison.Ordinal);
        postern.Kill();
        await relay.CutAsync();
        var reply = await sending;
        await postern.DisposeAsync();
        Assert.True(reply.IsTransient, reply + "\n" + Diagnostics(postern));
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.Equal(before, pipe.Postfix.QueueCount());
        Assert.Empty(pipe.Arrived("milter-kill"));
    }
}
