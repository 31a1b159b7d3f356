using System.Diagnostics;
using System.Net.Sockets;
using Postern.MilterE2e;
using Postern.Testing;

namespace Postern.Plugins.Mta.Sendmail.Tests;

/// <summary>
/// Sendmail from Debian's package (unpacked by scripts/deps/40-sendmail.sh into artifacts/mta/sendmail) running as
/// root in the foreground with a private sendmail.cf built by m4, a private queue, a relay to a recording sink, and
/// INPUT_MAIL_FILTER pointing at a unix socket. It runs in its own UTS namespace with a qualified host name, because
/// sendmail sleeps a minute at start when it cannot qualify the machine's name. Everything lives under
/// artifacts/tmp (sendmail refuses a milter socket below a world-writable directory such as /tmp).
/// </summary>
public sealed class PrivateSendmail : IAsyncLifetime
{
    private Process? process;

    public static string Prefix => Path.Combine(PosternDaemon.RepoRoot, "artifacts", "mta", "sendmail");

    public static string Binary => Path.Combine(Prefix, "usr", "libexec", "sendmail", "sendmail");

    public string Dir { get; private set; } = "";

    public string Queue => Path.Combine(Dir, "queue");

    public string MilterSocket => Path.Combine(Dir, "milter.sock");

    public int Port { get; private set; }

    internal SmtpSink Sink { get; } = new();

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: scripts/deps/40-sendmail.sh installs it (./test.sh runs it)");
        }

        var tmp = Path.Combine(PosternDaemon.RepoRoot, "artifacts", "tmp");
        Directory.CreateDirectory(tmp);
        File.SetUnixFileMode(tmp, (UnixFileMode)Convert.ToInt32("755", 8));
        Dir = Path.Combine(tmp, "sendmail-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Dir);
        Directory.CreateDirectory(Queue);
        File.SetUnixFileMode(Queue, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(Dir, "aliases"), "");
        File.WriteAllText(Path.Combine(Dir, "statistics"), "");
        File.WriteAllText(Path.Combine(Dir, "service.switch"), "hosts\tfiles\naliases\tfiles\n");
        File.WriteAllText(Path.Combine(Dir, "hosts"), "127.0.0.1\tmx.test localhost\n");
        Port = SmtpSend.FreePort();
        var mc = $"""
            divert(-1)
            include(`{Prefix}/usr/share/sendmail/cf/m4/cf.m4')
            divert(0)dnl
            VERSIONID(`postern milter test')dnl
            OSTYPE(`linux')dnl
            define(`confDOMAIN_NAME', `mx.test')dnl
            define(`confSERVICE_SWITCH_FILE', `{Dir}/service.switch')dnl
            define(`confHOSTS_FILE', `{Dir}/hosts')dnl
            define(`confDONT_PROBE_INTERFACES', `True')dnl
            define(`confBIND_OPTS', `-DNSRCH -DEFNAMES')dnl
            define(`QUEUE_DIR', `{Queue}')dnl
            define(`ALIAS_FILE', `{Dir}/aliases')dnl
            define(`STATUS_FILE', `{Dir}/statistics')dnl
            define(`confPID_FILE', `{Dir}/sendmail.pid')dnl
            define(`confHOST_STATUS_DIRECTORY', `')dnl
            define(`SMART_HOST', `[127.0.0.1]')dnl
            define(`RELAY_MAILER_ARGS', `TCP $h {Sink.Port}')dnl
            define(`ESMTP_MAILER_ARGS', `TCP $h {Sink.Port}')dnl
            define(`confDELIVERY_MODE', `background')dnl
            define(`confTO_IDENT', `0s')dnl
            FEATURE(`nocanonify')dnl
            FEATURE(`promiscuous_relay')dnl
            FEATURE(`accept_unresolvable_domains')dnl
            DAEMON_OPTIONS(`Port={Port}, Addr=127.0.0.1, Name=MTA')dnl
            INPUT_MAIL_FILTER(`postern', `S=local:{MilterSocket}, F=T, T=C:30s;S:30s;R:2m;E:5m')dnl
            MAILER(`smtp')dnl

            """;
        File.WriteAllText(Path.Combine(Dir, "test.mc"), mc);
        var cf = await RunAsync("m4", [Path.Combine(Dir, "test.mc")]);
        Assert.True(cf.Exit == 0, "m4 failed: " + cf.Error);
        File.WriteAllText(Path.Combine(Dir, "sendmail.cf"), cf.Output);

        var (program, args) = Qualified(Binary, ["-bD", "-C", $"{Dir}/sendmail.cf", "-L", "postern-test"]);
        var psi = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        process = Process.Start(psi)!;

        // Without a UTS namespace sendmail sleeps 60 s before it listens (see Qualified).
        var until = DateTime.UtcNow.AddSeconds(CanUnshare ? 30 : 100);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < until && !process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                var err = process.HasExited ? await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync() : "still running";
                throw new InvalidOperationException($"sendmail did not listen on 127.0.0.1:{Port}: {err}");
            }
        }
    }

    /// <summary>Every file in the queue directory with its text.</summary>
    public IEnumerable<(string File, string Text)> QueueFiles() =>
        Directory.EnumerateFiles(Queue).Select(f => (Path.GetFileName(f), File.ReadAllText(f)));

    public Task<(int Exit, string Output, string Error)> MailqAsync(params string[] extra)
    {
        var (program, args) = Qualified(Binary, ["-C", Path.Combine(Dir, "sendmail.cf"), "-bp", .. extra]);
        return RunAsync(program, args);
    }

    /// <summary>Whether this machine lets root make a UTS namespace (a container without CAP_SYS_ADMIN does not).</summary>
    public static bool CanUnshare { get; } = Probe();

    private static bool Probe()
    {
        try
        {
            return RunAsync("unshare", ["--uts", "sh", "-c", "hostname mx.test"]).GetAwaiter().GetResult().Exit == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>
    /// Runs <paramref name="program"/> with a qualified host name (mx.test) in its own UTS namespace: sendmail sleeps
    /// a minute at start when it cannot qualify the machine's name, which an unqualified container name such as "vm"
    /// causes. Where namespaces are not allowed it runs as it is, and pays the minute.
    /// </summary>
    public static (string Program, string[] Args) Qualified(string program, string[] args) =>
        CanUnshare ? ("unshare", ["--uts", "sh", "-c", "hostname mx.test && exec \"$0\" \"$@\"", program, .. args]) : (program, args);

    internal static async Task<(int Exit, string Output, string Error)> RunAsync(string program, string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await output, await error);
    }

    /// <summary>Writes a postern.conf for this instance with extra lines in [global] and [sendmail], the milter on
    /// <paramref name="milterSocket"/> (by default <see cref="MilterSocket"/>, where sendmail looks for it).</summary>
    public string WriteConfig(string name, string global = "", string sendmail = "", string? milterSocket = null)
    {
        var path = Path.Combine(Dir, name + ".conf");
        File.WriteAllText(path, $"[global]\nrun_dir = \"{Dir}\"\nlog_level = debug\n{global}\n[sendmail]\nmilter_listen = \"unix:{milterSocket ?? MilterSocket}\"\n{sendmail}\n");
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            await ProcessExit.KillAsync(process);
            process.Dispose();
        }
        await Sink.DisposeAsync();
        try
        {
            Directory.Delete(Dir, true);
        }
        catch (IOException)
        {
        }
    }
}
