using System.Collections.Immutable;
using Postern.Protocols.Smtp;
using Postern.Testing;

namespace Postern.Plugins.Mta.Postfix.Tests;

/// <summary>
/// The whole path on loopback: a real client → private Postfix (smtpd 20110) → content_filter scan transport →
/// the real <c>postern serve</c> (20112) → reinjection smtpd (20114, reached through a closable relay on 20113) →
/// Postfix → the recording sink (20111). Postfix is configured by the real <c>postern setup postfix</c>, run with a
/// postern.conf whose reinject address is the smtpd's own (20114); the daemon runs with one that points at the relay,
/// so a test can close the reinjection port without touching Postfix's configuration.
/// </summary>
public sealed class Pipeline : IAsyncLifetime
{
    public const int SmtpdPort = 20110;
    public const int SinkPort = 20111;
    public const int ListenPort = 20112;
    public const int RelayPort = 20113;
    public const int ReinjectPort = 20114;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public RecordingSmtpSink Sink { get; private set; } = null!;

    public PrivatePostfix Postfix { get; private set; } = null!;

    public TcpRelay Relay { get; } = new(RelayPort, ReinjectPort);

    public PosternDaemon Postern { get; private set; } = null!;

    public string Work { get; } = Directory.CreateTempSubdirectory("postern-e2e.").FullName;

    public string ServeConf { get; private set; } = null!;

    public string SetupOutput { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        Sink = new RecordingSmtpSink(SinkPort);
        Postfix = PrivatePostfix.Create(new PrivatePostfixOptions { SmtpPort = SmtpdPort, RelayPort = SinkPort, Name = "postfix-e2e" });
        await Postfix.StartAsync();
        var setupConf = TestConf.Write(Work, "setup.conf", ListenPort, ReinjectPort);
        var setup = await PosternDaemon.RunAsync(
            ["-c", setupConf, "setup", "postfix", "--mode", "after-queue", "--config-dir", Postfix.ConfigDirectory, "--state-dir", Path.Combine(Work, "state")], Timeout);
        SetupOutput = setup.ToString();
        if (setup.ExitCode != 0)
        {
            throw new InvalidOperationException("postern setup postfix failed: " + setup);
        }

        Relay.Open();
        ServeConf = TestConf.Write(Work, "serve.conf", ListenPort, RelayPort);
        await StartPosternAsync(ServeConf);
    }

    public async Task StartPosternAsync(string conf)
    {
        Postern = PosternDaemon.Start("-c", conf);
        if (!await Postern.WaitForLogAsync("postern serve ready", TimeSpan.FromSeconds(60)) || !await Postern.WaitForLogAsync("Agent postfix started", TimeSpan.FromSeconds(5)))
        {
            throw new InvalidOperationException("postern serve did not start:\n" + Postern.Log);
        }
    }

    public async Task RestartPosternAsync(string conf)
    {
        if (!Postern.HasExited)
        {
            Postern.Terminate();
            await Postern.WaitForExitAsync(TimeSpan.FromSeconds(70));
        }

        await Postern.DisposeAsync();
        await StartPosternAsync(conf);
    }

    /// <summary>Hands a message to Postfix's smtpd as a mail client would.</summary>
    public Task<SmtpDelivery> SendAsync(byte[] message, SmtpEnvelope? envelope = null) =>
        new SmtpClient(new SmtpClientOptions { HeloName = "client.test.example" }).SendAsync("127.0.0.1", SmtpdPort,
            envelope ?? new SmtpEnvelope("a@test.example", [], [new SmtpRecipient("b@test.example")], ImmutableDictionary<string, string>.Empty),
            message, CancellationToken.None);

    /// <summary>The messages at the sink whose Message-ID header is ID@test.example.</summary>
    public IReadOnlyList<RecordedMessage> Arrived(string id) => Sink.WithHeader($"Message-ID: <{id}@test.example>");

    /// <summary>Waits until such a message reached the sink.</summary>
    public Task<RecordedMessage?> WaitForAsync(string id, TimeSpan timeout) => Sink.WaitForHeaderAsync($"Message-ID: <{id}@test.example>", timeout);

    /// <summary>Postfix's queue id of the message with this Message-ID as it first entered (cleanup's log line).</summary>
    public string? QueueId(string id)
    {
        var line = Postfix.ReadMaillog().Split('\n').FirstOrDefault(l => l.Contains($"message-id=<{id}@test.example>", StringComparison.Ordinal));
        return line?.Split(": ")[1];
    }

    public string Diagnostics() => $"--- maillog\n{Postfix.MaillogTail(60)}\n--- postern\n{string.Join('\n', Postern.Log.Split('\n').TakeLast(40))}";

    public async ValueTask DisposeAsync()
    {
        await Postern.DisposeAsync();
        await Relay.DisposeAsync();
        await Postfix.DisposeAsync();
        await Sink.DisposeAsync();
        Directory.Delete(Work, recursive: true);
    }
}
