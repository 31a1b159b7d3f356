using System.Collections.Immutable;
using System.Text;
using Postern.Protocols.Smtp;
using Postern.Testing;

namespace Postern.Plugins.Mta.Postfix.Tests;

/// <summary>End to end through a real Postfix configured by <c>postern setup postfix</c> and the real
/// <c>postern serve</c> (see <see cref="Pipeline"/>). Tests share the pipeline and run one after another.</summary>
public sealed class AfterQueueTests(Pipeline pipe) : IClassFixture<Pipeline>
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CleanMail_ArrivesByteIdenticalApartFromAddedHeaders_WithEnvelopeAndDsnKept()
    {
        var original = Mail.Clean("clean-1");
        var envelope = new SmtpEnvelope("a@test.example", ["RET=HDRS", "ENVID=env-clean-1"],
            [new SmtpRecipient("b@test.example", ["NOTIFY=SUCCESS,FAILURE", "ORCPT=rfc822;b@test.example"]), new SmtpRecipient("c@test.example")],
            ImmutableDictionary<string, string>.Empty);

        await pipe.SendAsync(original, envelope);

        var m = await pipe.WaitForAsync("clean-1", Delivery);
        Assert.True(m is not null, pipe.Diagnostics());
        Assert.Equal(["b@test.example", "c@test.example"], m.Recipients.Order());
        Assert.Contains("ENVID=env-clean-1", m.MailParameters, StringComparison.Ordinal);
        Assert.Contains("RET=HDRS", m.MailParameters, StringComparison.Ordinal);
        Assert.Contains("NOTIFY=SUCCESS,FAILURE", m.RecipientParameters[m.Recipients.IndexOf("b@test.example")], StringComparison.Ordinal);
        var originalText = Encoding.ASCII.GetString(original);
        var split = originalText.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.Equal(original[(split + 4)..], m.Body);

        // Headers: the original ones, in order and unchanged, once Postfix's Received lines and Postern's marks are taken out.
        var added = HeaderFields(m.Headers).Where(h => h.StartsWith("Received:", StringComparison.Ordinal) || h.StartsWith("X-Virus-", StringComparison.Ordinal)).ToList();
        Assert.Equal(HeaderFields(originalText[..(split + 2)]), HeaderFields(m.Headers).Except(added));
        Assert.Contains(added, h => h.StartsWith("X-Virus-Status: Clean", StringComparison.Ordinal));

        // XFORWARD: the daemon logged the message under Postfix's own queue id.
        var qid = pipe.QueueId("clean-1");
        Assert.NotNull(qid);
        Assert.True(pipe.Postern.Log.Contains($"{qid}: from=<a@test.example>", StringComparison.Ordinal), pipe.Diagnostics());
        Assert.Single(pipe.Arrived("clean-1"));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("zip")]
    [InlineData("forwarded")]
    public async Task Eicar_RejectedWith5xx_PostfixBouncesItToTheSender(string kind)
    {
        var id = "eicar-" + kind;

        await pipe.SendAsync(Mail.Infected(id, kind));

        var bounced = await pipe.Postfix.WaitForLogAsync("status=bounced", Delivery) &&
            await WaitUntilAsync(() => pipe.Sink.Messages.Any(b => b.Sender.Length == 0 && b.Text.Contains($"<{id}@test.example>", StringComparison.Ordinal)));
        Assert.True(bounced, pipe.Diagnostics());
        var bounce = pipe.Sink.Messages.First(b => b.Sender.Length == 0 && b.Text.Contains($"<{id}@test.example>", StringComparison.Ordinal));
        Assert.Equal(["a@test.example"], bounce.Recipients);
        Assert.Contains("550 5.7.1 message rejected", bounce.Text, StringComparison.Ordinal);
        Assert.Contains("Eicar-Test-Signature", bounce.Text, StringComparison.Ordinal);
        Assert.Empty(pipe.Arrived(id));
    }

    [Fact]
    public async Task ReinjectionPortClosed_MailStaysQueued_DeliveredOnceThePortIsBack()
    {
        await pipe.Relay.CloseAsync();
        try
        {
            await pipe.SendAsync(Mail.Clean("closed-1"));
            var deferred = await WaitUntilAsync(() => pipe.QueueId("closed-1") is { } q && pipe.Postfix.ReadMaillog().Split('\n')
                .Any(l => l.Contains(q, StringComparison.Ordinal) && l.Contains("status=deferred", StringComparison.Ordinal) && l.Contains("reinjection failed", StringComparison.Ordinal)));
            Assert.True(deferred, pipe.Diagnostics());
            Assert.Empty(pipe.Arrived("closed-1"));
            Assert.True(pipe.Postfix.QueueCount() >= 1);
        }
        finally
        {
            pipe.Relay.Open();
        }

        await pipe.Postfix.FlushAsync();

        Assert.True(await pipe.WaitForAsync("closed-1", Delivery) is not null, pipe.Diagnostics());
        Assert.True(await pipe.Postfix.WaitForEmptyQueueAsync(Delivery), pipe.Diagnostics());
        Assert.Single(pipe.Arrived("closed-1"));
    }

    [Fact]
    public async Task ManyMessagesConcurrently_EachArrivesExactlyOnce()
    {
        var ids = Enumerable.Range(0, 24).Select(i => $"many-{i}").ToList();

        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, _) => await pipe.SendAsync(Mail.Clean(id)));

        Assert.True(await WaitUntilAsync(() => ids.All(i => pipe.Arrived(i).Count > 0)), pipe.Diagnostics());
        Assert.True(await pipe.Postfix.WaitForEmptyQueueAsync(Delivery), pipe.Diagnostics());
        Assert.All(ids, i => Assert.Single(pipe.Arrived(i)));
    }

    [Fact]
    public async Task PosternKilledMidMessage_NothingIsLost_PostfixRetriesOnceItIsBack()
    {
        var ids = Enumerable.Range(0, 6).Select(i => $"killed-{i}").ToList();
        var big = string.Concat(Enumerable.Repeat("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789\n", 30_000));

        // The reinjection port answers nothing while held: a message Postern has received and scanned waits there for
        // the greeting, so the kill below surely lands mid-message (Postfix has had no answer to its DATA yet).
        await pipe.Relay.HoldAsync();
        var scannedBefore = Scanned();
        try
        {
            foreach (var id in ids)
            {
                await pipe.SendAsync(Mail.Bytes($"From: a@test.example\nTo: b@test.example\nSubject: {id}\nMessage-ID: <{id}@test.example>\n\n{big}"));
            }

            Assert.True(await WaitUntilAsync(() => Scanned() > scannedBefore, TimeSpan.FromSeconds(60)),
                "no message reached the scan\n" + pipe.Diagnostics());
            pipe.Postern.Kill();
            await pipe.Postern.WaitForExitAsync(TimeSpan.FromSeconds(10));
            Assert.All(ids, i => Assert.Empty(pipe.Arrived(i)));
        }
        finally
        {
            pipe.Relay.Release();
        }

        await pipe.RestartPosternAsync(pipe.ServeConf);
        await pipe.Postfix.FlushAsync();

        Assert.True(await WaitUntilAsync(() => ids.All(i => pipe.Arrived(i).Count > 0), TimeSpan.FromSeconds(90)),
            $"missing: {string.Join(',', ids.Where(i => pipe.Arrived(i).Count == 0))}\n{pipe.Diagnostics()}");
        Assert.True(await pipe.Postfix.WaitForEmptyQueueAsync(Delivery), pipe.Diagnostics());
        Assert.All(ids, i => Assert.Single(pipe.Arrived(i)));

        // Summary lines of this daemon's scans so far (the log spans the earlier tests too).
        int Scanned() => pipe.Postern.Log.Split('\n').Count(l => l.Contains("PolicyDispatcher", StringComparison.Ordinal)
            && l.Contains("from=<a@test.example>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sigterm_DrainsAndExitsZero_QueuedMailDeliveredAfterRestart()
    {
        var ids = Enumerable.Range(0, 3).Select(i => $"term-{i}").ToList();
        foreach (var id in ids)
        {
            await pipe.SendAsync(Mail.Clean(id));
        }

        pipe.Postern.Terminate();

        Assert.True(await pipe.Postern.WaitForExitAsync(TimeSpan.FromSeconds(70)), pipe.Diagnostics());
        Assert.Equal(0, pipe.Postern.ExitCode);
        Assert.Contains("postern serve stopped", pipe.Postern.Log, StringComparison.Ordinal);
        await pipe.StartPosternAsync(pipe.ServeConf);
        await pipe.Postfix.FlushAsync();
        Assert.True(await WaitUntilAsync(() => ids.All(i => pipe.Arrived(i).Count > 0), Delivery), pipe.Diagnostics());
        Assert.All(ids, i => Assert.Single(pipe.Arrived(i)));
    }

    [Fact]
    public async Task InfectedWithQuarantineAndDiscard_NotDelivered_NoBounce_KeptInQuarantine()
    {
        var conf = TestConf.Write(Path.Combine(pipe.Work, "quarantine-run"), "postern.conf", Pipeline.ListenPort, Pipeline.RelayPort,
            "action_av_infected = discard\nav_quarantine_enabled = yes");
        await pipe.RestartPosternAsync(conf);
        try
        {
            await pipe.SendAsync(Mail.Infected("quarantined-1", "zip"));

            var qid = "";
            Assert.True(await WaitUntilAsync(() => pipe.QueueId("quarantined-1") is { } q && (qid = q) is not null
                && pipe.Postfix.ReadMaillog().Contains($"{q}: ", StringComparison.Ordinal)
                && pipe.Postfix.ReadMaillog().Split('\n').Any(l => l.Contains(q, StringComparison.Ordinal) && l.Contains("discarded", StringComparison.Ordinal))), pipe.Diagnostics());
            var list = await PosternDaemon.RunAsync(["-c", conf, "quarantine", "list"], TimeSpan.FromSeconds(60));
            Assert.True(list.Stdout.Contains("a@test.example", StringComparison.Ordinal), list.ToString());
            Assert.Contains("Eicar", list.Stdout, StringComparison.Ordinal);
            Assert.Empty(pipe.Arrived("quarantined-1"));
            Assert.DoesNotContain(pipe.Sink.Messages, b => b.Sender.Length == 0 && b.Text.Contains("<quarantined-1@test.example>", StringComparison.Ordinal));
        }
        finally
        {
            await pipe.RestartPosternAsync(pipe.ServeConf);
        }
    }

    [Fact]
    public async Task InfectedWithAcceptAndMarking_DeliveredWithTheInfectedHeader()
    {
        var conf = TestConf.Write(Path.Combine(pipe.Work, "accept-run"), "postern.conf", Pipeline.ListenPort, Pipeline.RelayPort, "action_av_infected = accept");
        await pipe.RestartPosternAsync(conf);
        try
        {
            await pipe.SendAsync(Mail.Infected("marked-1", "plain"));

            var m = await pipe.WaitForAsync("marked-1", Delivery);
            Assert.True(m is not null, pipe.Diagnostics());
            Assert.Matches("(?m)^X-Virus-Status: Infected", m.Headers);
        }
        finally
        {
            await pipe.RestartPosternAsync(pipe.ServeConf);
        }
    }

    private static List<string> HeaderFields(string headers)
    {
        var fields = new List<string>();
        foreach (var line in headers.Split("\r\n"))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] is ' ' or '\t' && fields.Count > 0)
            {
                fields[^1] += "\r\n" + line;
            }
            else
            {
                fields.Add(line);
            }
        }

        return fields;
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Delivery);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }
}
