using System.Net.Sockets;

namespace Postern.Testing;

/// <summary>
/// A private Postfix instance from Debian's package for integration tests: its own config, queue and data directories
/// under a temp directory, its own smtpd port on 127.0.0.1, every message relayed to 127.0.0.1:RelayPort, fast retries,
/// a maillog file. Started with <c>postfix -c DIR</c>; nothing under /etc/postfix is read or written. Needs root (the
/// tests run as root; scripts/deps/10-postfix.sh installs the package).
/// </summary>
/// <remarks>Threading: one test drives one instance; methods are not meant to run concurrently. Errors: a Postfix
/// command that fails throws <see cref="InvalidOperationException"/> with its output and the maillog tail; waits
/// return false on timeout instead of throwing.</remarks>
public sealed class PrivatePostfix : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private bool started;

    private PrivatePostfix(string root, PrivatePostfixOptions options)
    {
        Root = root;
        Options = options;
    }

    /// <summary>The temp directory holding everything of the instance.</summary>
    public string Root { get; }

    /// <summary>The layout it was created with.</summary>
    public PrivatePostfixOptions Options { get; }

    /// <summary>The config directory (main.cf, master.cf): what <c>postfix -c</c> and <c>postern setup postfix --config-dir</c> take.</summary>
    public string ConfigDirectory => Path.Combine(Root, "etc");

    /// <summary>The queue directory.</summary>
    public string QueueDirectory => Path.Combine(Root, "queue");

    /// <summary>The log file (maillog_file).</summary>
    public string MaillogPath => Path.Combine(Root, "maillog");

    /// <summary>The smtpd port tests send to.</summary>
    public int SmtpPort => Options.SmtpPort;

    /// <summary>True when the Postfix programs are installed.</summary>
    public static bool IsInstalled => File.Exists("/usr/sbin/postfix") && File.Exists("/usr/sbin/postconf") && File.Exists("/usr/sbin/postqueue");

    /// <summary>Writes a fresh instance's main.cf and master.cf; does not start it. Throws with a clear message when
    /// Postfix is missing (run scripts/install-deps.sh) or the process is not root.</summary>
    public static PrivatePostfix Create(PrivatePostfixOptions options)
    {
        if (!IsInstalled)
        {
            throw new InvalidOperationException("Postfix is not installed: run scripts/install-deps.sh (scripts/deps/10-postfix.sh)");
        }

        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException("a private Postfix instance needs root (Postfix's master starts as root)");
        }

        var root = Directory.CreateTempSubdirectory(options.Name + ".").FullName;
        if (OperatingSystem.IsLinux())
        {
            // Postfix's unprivileged processes (user postfix) must reach the queue below.
            File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
        }
        var pf = new PrivatePostfix(root, options);
        Directory.CreateDirectory(pf.ConfigDirectory);
        Directory.CreateDirectory(pf.QueueDirectory);
        Directory.CreateDirectory(Path.Combine(root, "data"));
        File.WriteAllText(Path.Combine(pf.ConfigDirectory, "main.cf"), pf.MainCf());
        File.WriteAllText(Path.Combine(pf.ConfigDirectory, "master.cf"), pf.MasterCf());
        return pf;
    }

    /// <summary><c>postfix check</c>, then <c>postfix start</c>; waits until the smtpd port answers.</summary>
    public async Task StartAsync()
    {
        await ProcessRunner.RunAsync("/usr/bin/chown", ["postfix", Path.Combine(Root, "data")], CommandTimeout);
        await PostfixAsync("check");
        started = true;
        await PostfixAsync("start");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await IsListeningAsync(SmtpPort))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Postfix did not listen on {SmtpPort}\n{MaillogTail()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary><c>postfix stop</c>, waiting for the master to exit.</summary>
    public async Task StopAsync()
    {
        if (!started)
        {
            return;
        }

        started = false;
        var pidFile = Path.Combine(QueueDirectory, "pid", "master.pid");
        var master = ReadPid(pidFile);
        try
        {
            await ProcessRunner.RunAsync("/usr/sbin/postfix", ["-c", ConfigDirectory, "stop"], StopTimeout);
        }
        catch (TimeoutException)
        {
            // Postfix's control script itself has hung here on loaded machines (twice in CI-like runs: `postfix stop`,
            // then `postfix abort`, 60 s each). The master is ended directly below instead; the test's own checks
            // are already done, so a slow shutdown of the MTA is not a failure of what the test verifies.
        }

        for (var i = 0; i < 100 && File.Exists(pidFile); i++)
        {
            await Task.Delay(100);
        }

        if (master > 0 && File.Exists(pidFile) && IsPostfixMaster(master))
        {
            // Postfix's master makes itself a process group leader; its daemons (and any delivery program they run)
            // are in that group, so one signal ends them all.
            await ProcessRunner.RunAsync("/bin/kill", ["-KILL", "--", $"-{master}"], StopTimeout);
        }
    }

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    // A stale pid file must not get another process group killed: only a live Postfix master is signalled.
    private static bool IsPostfixMaster(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("master", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int ReadPid(string pidFile)
    {
        try
        {
            return int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) ? pid : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Runs <c>postfix -c DIR args</c>; throws when it fails.</summary>
    public async Task<ProcessResult> PostfixAsync(params string[] args)
    {
        var r = await ProcessRunner.RunAsync("/usr/sbin/postfix", ["-c", ConfigDirectory, .. args], CommandTimeout);
        return r.ExitCode == 0 ? r : throw new InvalidOperationException($"postfix {string.Join(' ', args)} failed: {r}\n{MaillogTail()}");
    }

    /// <summary>Runs <c>postconf -c DIR args</c>; throws when it fails.</summary>
    public async Task<ProcessResult> PostconfAsync(params string[] args)
    {
        var r = await ProcessRunner.RunAsync("/usr/sbin/postconf", ["-c", ConfigDirectory, .. args], CommandTimeout);
        return r.ExitCode == 0 ? r : throw new InvalidOperationException($"postconf {string.Join(' ', args)} failed: {r}");
    }

    /// <summary><c>postqueue -f</c>: retries every deferred message now.</summary>
    public async Task FlushAsync()
    {
        var r = await ProcessRunner.RunAsync("/usr/sbin/postqueue", ["-c", ConfigDirectory, "-f"], CommandTimeout);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"postqueue -f failed: {r}");
        }
    }

    /// <summary>The number of messages in the queue (maildrop, incoming, active, deferred, hold), counted on disk.</summary>
    public int QueueCount() =>
        new[] { "maildrop", "incoming", "active", "deferred", "hold" }
            .Select(s => Path.Combine(QueueDirectory, s))
            .Where(Directory.Exists)
            .Sum(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories).Count());

    /// <summary>Waits until the queue is empty; false on timeout.</summary>
    public async Task<bool> WaitForEmptyQueueAsync(TimeSpan timeout) => await WaitUntilAsync(() => QueueCount() == 0, timeout);

    /// <summary>Waits until the maillog contains <paramref name="text"/>; false on timeout.</summary>
    public async Task<bool> WaitForLogAsync(string text, TimeSpan timeout) =>
        await WaitUntilAsync(() => ReadMaillog().Contains(text, StringComparison.Ordinal), timeout);

    /// <summary>The whole maillog ("" before Postfix wrote it).</summary>
    public string ReadMaillog()
    {
        try
        {
            using var s = new FileStream(MaillogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(s).ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }

    /// <summary>The last lines of the maillog, for assertion messages.</summary>
    public string MaillogTail(int lines = 40) => string.Join('\n', ReadMaillog().Split('\n').TakeLast(lines));

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A straggling Postfix process may still hold a file; the temp dir is only litter then.
        }
    }

    /// <summary>True when something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<bool> IsListeningAsync(int port)
    {
        using var tcp = new TcpClient();
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await tcp.ConnectAsync("127.0.0.1", port, cts.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
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

    private string MainCf() => $"""
        # private test instance; started with postfix -c {ConfigDirectory}
        compatibility_level = 3.6
        queue_directory = {QueueDirectory}
        data_directory = {Path.Combine(Root, "data")}
        command_directory = /usr/sbin
        daemon_directory = /usr/lib/postfix/sbin
        shlib_directory = /usr/lib/postfix
        meta_directory = /etc/postfix
        mail_owner = postfix
        setgid_group = postdrop
        syslog_name = {Options.Name}
        maillog_file = {MaillogPath}
        maillog_file_prefixes = {Root}
        myhostname = mta.test.example
        mydomain = test.example
        myorigin = $myhostname
        mydestination =
        local_recipient_maps =
        alias_maps =
        alias_database =
        inet_interfaces = 127.0.0.1
        inet_protocols = ipv4
        mynetworks = 127.0.0.0/8
        relayhost = [127.0.0.1]:{Options.RelayPort}
        smtpd_relay_restrictions = permit_mynetworks, reject
        smtpd_recipient_restrictions = permit_mynetworks, reject
        smtpd_peername_lookup = no
        smtp_dns_support_level = disabled
        smtp_tls_security_level = none
        smtpd_tls_security_level = none
        biff = no
        message_size_limit = 52428800
        mailbox_size_limit = 0
        # tests wait for retries: seconds, not Postfix's minutes
        queue_run_delay = 1s
        minimal_backoff_time = 1s
        maximal_backoff_time = 2s
        smtp_connect_timeout = 5s
        {Options.ExtraMain}

        """;

    private string MasterCf() => $"""
        # service type  private unpriv  chroot  wakeup  maxproc command + args
        127.0.0.1:{Options.SmtpPort} inet n - n - - smtpd
        pickup    unix  n       -       n       60      1       pickup
        cleanup   unix  n       -       n       -       0       cleanup
        qmgr      unix  n       -       n       300     1       qmgr
        rewrite   unix  -       -       n       -       -       trivial-rewrite
        bounce    unix  -       -       n       -       0       bounce
        defer     unix  -       -       n       -       0       bounce
        trace     unix  -       -       n       -       0       bounce
        verify    unix  -       -       n       -       1       verify
        flush     unix  n       -       n       1000?   0       flush
        proxymap  unix  -       -       n       -       -       proxymap
        proxywrite unix -       -       n       -       1       proxymap
        smtp      unix  -       -       n       -       -       smtp
        relay     unix  -       -       n       -       -       smtp
        showq     unix  n       -       n       -       -       showq
        error     unix  -       -       n       -       -       error
        retry     unix  -       -       n       -       -       error
        discard   unix  -       -       n       -       -       discard
        anvil     unix  -       -       n       -       1       anvil
        scache    unix  -       -       n       -       1       scache
        postlog   unix-dgram n  -       n       -       1       postlogd
        {Options.ExtraMaster}

        """;
}
