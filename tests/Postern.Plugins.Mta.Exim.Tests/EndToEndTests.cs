using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Postern.Testing;

namespace Postern.Plugins.Mta.Exim.Tests;

/// <summary>
/// Debian's exim4-daemon-heavy on 127.0.0.1 with a config edited by the real <c>postern setup exim</c>, the real
/// <c>postern serve</c> as its clamd, mail from an SMTP client: EICAR refused at DATA naming the detection, clean mail
/// delivered to a maildir, postern stopped gives 4xx (never accepted unscanned).
/// </summary>
public sealed class EndToEndTests : IAsyncLifetime
{
    private static readonly string Eicar = @"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    private readonly string dir = Path.Combine(Path.GetTempPath(), "postern-exim-e2e-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly BlockingCollection<string> posternLog = [];
    private Process? exim;
    private Process? postern;
    private int port;

    private string Socket => Path.Combine(dir, "run", "clamd.sock");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>Exim (unix socket: SCAN of its spool file; tcp: zINSTREAM) and postern serve with extra settings.</summary>
    private async Task StartAsync(bool tcp = false, string extraGlobal = "")
    {
        foreach (var d in new[] { "run", "spool", "log", "maildir", "state" })
        {
            Directory.CreateDirectory(Path.Combine(dir, d));
        }

        // Exim receives as Debian-exim: it must reach the socket's folder and own its spool, log and maildir.
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("755", 8));
        File.SetUnixFileMode(Path.Combine(dir, "run"), (UnixFileMode)Convert.ToInt32("755", 8));
        foreach (var d in new[] { "spool", "log", "maildir" })
        {
            var (c, o) = await Tools.RunAsync("chown", ["-R", "Debian-exim:Debian-exim", Path.Combine(dir, d)]);
            Assert.True(c == 0, o);
        }

        port = FreePort();
        var conf = Path.Combine(dir, "exim.conf");
        await File.WriteAllTextAsync(conf, $"""
            # a minimal Exim for the test; postern setup exim adds the scanner and the DATA ACL
            primary_hostname = test.local
            exim_path = {Tools.Exim}
            keep_environment =
            tls_advertise_hosts =
            spool_directory = {dir}/spool
            log_file_path = {dir}/log/%slog
            daemon_smtp_ports = {port}
            local_interfaces = 127.0.0.1
            acl_smtp_rcpt = acl_check_rcpt
            host_lookup =
            rfc1413_hosts =

            begin acl

            acl_check_rcpt:
              accept

            begin routers

            everyone:
              driver = accept
              transport = to_maildir

            begin transports

            to_maildir:
              driver = appendfile
              directory = {dir}/maildir
              maildir_format
              user = Debian-exim
              group = Debian-exim
              create_directory

            """);
        var (code, output) = await Tools.RunAsync(Tools.Postern,
            ["setup", "exim", "--layout", "plain", "--exim-config", conf, "--socket", Socket, "--exim", Tools.Exim,
             "--state-dir", Path.Combine(dir, "state"), "--no-reload"]);
        Assert.True(code == 0, output);
        var clamdPort = tcp ? FreePort(21100) : 0;
        if (tcp)
        {
            // Exim's TCP form of the clamd scanner sends the spool file with zINSTREAM in one chunk.
            var text = await File.ReadAllTextAsync(conf);
            await File.WriteAllTextAsync(conf, text.Replace($"av_scanner = clamd:{Socket}", $"av_scanner = clamd:127.0.0.1 {clamdPort}", StringComparison.Ordinal));
        }

        await File.WriteAllTextAsync(Path.Combine(dir, "postern.conf"),
            $"[global]\nrun_dir = {dir}/run\nsyslog_enabled = no\n{extraGlobal}\n[exim]\nscan_roots = {dir}/spool/scan\n"
            + (tcp ? $"clamd_tcp = 127.0.0.1:{clamdPort}\n" : ""));
        StartPostern();
        WaitForLog("exim: clamd server on unix");

        exim = Process.Start(new ProcessStartInfo(Tools.Exim, ["-bdf", "-C", conf]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync("127.0.0.1", port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < until && !exim.HasExited)
            {
                await Task.Delay(200);
            }
        }
    }

    private void StartPostern()
    {
        var psi = new ProcessStartInfo(Tools.Postern, ["serve", "-c", Path.Combine(dir, "postern.conf")]) { RedirectStandardError = true, RedirectStandardOutput = true };
        postern = Process.Start(psi)!;
        postern.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                posternLog.Add(e.Data);
            }
        };
        postern.BeginErrorReadLine();
    }

    private readonly List<string> seen = [];

    private string WaitForLog(string text, int seconds = 60)
    {
        if (seen.Find(l => l.Contains(text, StringComparison.Ordinal)) is { } earlier)
        {
            return earlier;
        }

        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (posternLog.TryTake(out var line, 200))
            {
                seen.Add(line);
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }

        throw new TimeoutException($"postern never logged '{text}':\n{string.Join('\n', seen)}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in new[] { exim, postern })
        {
            if (p is not null)
            {
                await ProcessExit.KillAsync(p);
                p.Dispose();
            }
        }

        posternLog.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>One SMTP transaction; returns the reply to the end of DATA.</summary>
    private async Task<string> SendAsync(string body)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        async Task<string> Reply()
        {
            var all = new StringBuilder();
            while (await reader.ReadLineAsync() is { } line)
            {
                all.Append(line).Append('\n');
                if (line.Length < 4 || line[3] != '-')
                {
                    break;
                }
            }

            return all.ToString();
        }

        async Task<string> Say(string line)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
            return await Reply();
        }

        Assert.StartsWith("220", await Reply(), StringComparison.Ordinal);
        Assert.StartsWith("250", await Say("EHLO client.test"), StringComparison.Ordinal);
        Assert.StartsWith("250", await Say("MAIL FROM:<sender@client.test>"), StringComparison.Ordinal);
        Assert.StartsWith("250", await Say("RCPT TO:<user@test.local>"), StringComparison.Ordinal);
        Assert.StartsWith("354", await Say("DATA"), StringComparison.Ordinal);
        var message = "From: sender@client.test\r\nTo: user@test.local\r\nSubject: test\r\n\r\n" + body + "\r\n.";
        var reply = await Say(message);
        await Say("QUIT");
        return reply;
    }

    private string EximLog() => string.Join('\n', Directory.GetFiles(Path.Combine(dir, "log")).Select(f => f + ":\n" + File.ReadAllText(f)));

    private int Delivered() => Directory.Exists(Path.Combine(dir, "maildir", "new")) ? Directory.GetFiles(Path.Combine(dir, "maildir", "new")).Length : 0;

    [Fact]
    public async Task EicarIsRefusedAtDataWithTheDetectionCleanMailIsDeliveredAndStoppedPosternDefers()
    {
        await StartAsync();
        var infected = await SendAsync(Eicar);
        Assert.StartsWith("550", infected, StringComparison.Ordinal);
        Assert.Contains("This message contains malware (Eicar-Test-Signature)", infected, StringComparison.Ordinal);
        Assert.Equal(0, Delivered());
        WaitForLog("status=infected");

        var clean = await SendAsync("just words");
        Assert.StartsWith("250", clean, StringComparison.Ordinal);
        var until = DateTime.UtcNow.AddSeconds(30);
        while (Delivered() == 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(200);
        }

        Assert.True(Delivered() == 1, "not delivered; Exim's log:\n" + EximLog());
        Assert.Contains("just words", await File.ReadAllTextAsync(Directory.GetFiles(Path.Combine(dir, "maildir", "new"))[0]), StringComparison.Ordinal);

        // Postern stopped: Exim cannot scan, so it must answer 4xx, and nothing more is delivered.
        using (var kill = Process.Start("kill", ["-TERM", postern!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        Assert.True(await ProcessExit.WaitAsync(postern, TimeSpan.FromSeconds(60)), "postern did not drain and exit on SIGTERM");

        var deferred = await SendAsync(Eicar);
        Assert.StartsWith("4", deferred, StringComparison.Ordinal);
        var deferredClean = await SendAsync("clean but unscanned");
        Assert.StartsWith("4", deferredClean, StringComparison.Ordinal);
        Assert.Equal(1, Delivered());
    }

    [Fact]
    public async Task OverTcpEximStreamsTheMessageAndPosternKeepsItsOwnQuarantineCopyAndSummaryLine()
    {
        await StartAsync(tcp: true, extraGlobal: $"av_quarantine_enabled = yes\nav_quarantine_dir = {dir}/quarantine\n");
        var infected = await SendAsync(Eicar);
        Assert.StartsWith("550", infected, StringComparison.Ordinal);
        Assert.Contains("Eicar-Test-Signature", infected, StringComparison.Ordinal);
        var summary = WaitForLog("status=infected");
        Assert.Contains("detections=Eicar-Test-Signature", summary, StringComparison.Ordinal);
        WaitForLog("quarantined");

        var (code, list) = await Tools.RunAsync(Tools.Postern, ["quarantine", "list", "-c", Path.Combine(dir, "postern.conf")]);
        Assert.True(code == 0, list);
        Assert.Contains("Eicar-Test-Signature", list, StringComparison.Ordinal);

        Assert.StartsWith("250", await SendAsync("clean over tcp"), StringComparison.Ordinal);
        WaitForLog("status=clean");
    }

    [Fact]
    public async Task SpoolFileScansLogTheEximQueueIdAndReloadReachesTheEngines()
    {
        await StartAsync();
        var infected = await SendAsync(Eicar);
        Assert.StartsWith("550", infected, StringComparison.Ordinal);
        var eximId = System.Text.RegularExpressions.Regex.Match(EximLog(), @"(\w{6}-\w{6}-\w{2}) H=.*rejected after DATA").Groups[1].Value;
        Assert.NotEmpty(eximId);
        Assert.Contains(eximId + ": from=<> to=<> status=infected detections=Eicar-Test-Signature", WaitForLog("status=infected"), StringComparison.Ordinal);

        using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await s.ConnectAsync(new UnixDomainSocketEndPoint(Socket));
        await s.SendAsync("nRELOAD\n"u8.ToArray());
        var buffer = new byte[64];
        var n = await s.ReceiveAsync(buffer);
        Assert.Equal("RELOADING\n", Encoding.ASCII.GetString(buffer, 0, n));
        WaitForLog("SIGHUP: checking the configuration and reloading engine data");
    }

    [Fact]
    public async Task MailPosternCannotScanFullyIsDeferredNeverAccepted()
    {
        await StartAsync(extraGlobal: "scan_max_file_size = 2K\n");
        var big = string.Join("\r\n", Enumerable.Repeat(new string('x', 70), 200));
        var reply = await SendAsync(big);
        Assert.StartsWith("451", reply, StringComparison.Ordinal);
        Assert.Contains("status=notscanned", WaitForLog("status="), StringComparison.Ordinal);
        await Task.Delay(1000);
        Assert.Equal(0, Delivered());
    }

    private static int FreePort(int from = 21500)
    {
        for (var p = from + (Environment.ProcessId % 400); p < from + 499; p++)
        {
            try
            {
                using var l = new TcpListener(System.Net.IPAddress.Loopback, p);
                l.Start();
                return p;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("no free port in 21500-21999");
    }
}
