using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Postern.Testing;

namespace Postern.Protocols.Clamd.Tests.Support;

/// <summary>A real ClamAV clamd (Debian's, private config, the bundled test database) and Postern's clamd server over
/// <see cref="SignatureScanner"/>, both with a 1 MiB stream limit and the same scan tree, for byte-for-byte comparison.</summary>
public sealed class ServersFixture : IAsyncLifetime
{
    public const long StreamLimit = 1024 * 1024;

    private Process? clamd;
    private ClamdServer? server;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "postern-clamd-" + Guid.NewGuid().ToString("N")[..8]);

    public string Tree => Path.Combine(Directory, "tree");

    public UnixDomainSocketEndPoint ClamdUnix => new(Path.Combine(Directory, "clamd.sock"));

    public IPEndPoint ClamdTcp { get; private set; } = new(IPAddress.Loopback, 0);

    public UnixDomainSocketEndPoint PosternUnix => new(Path.Combine(Directory, "postern.sock"));

    public IPEndPoint PosternTcp => server!.BoundTcpEndPoint!;

    internal SignatureScanner Scanner { get; } = new();

    public async ValueTask InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "db"));
        foreach (var f in System.IO.Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "db")))
        {
            File.Copy(f, Path.Combine(Directory, "db", Path.GetFileName(f)));
        }

        System.IO.Directory.CreateDirectory(Path.Combine(Tree, "sub"));
        await File.WriteAllBytesAsync(Path.Combine(Tree, "eicar.com"), Wire.Eicar);
        await File.WriteAllTextAsync(Path.Combine(Tree, "clean.txt"), "clean\n");
        await File.WriteAllBytesAsync(Path.Combine(Tree, "sub", "both.bin"),
            [.. "xx POSTERN-TEST-BODY-SIGNATURE yy "u8.ToArray(), .. Wire.Eicar]);
        File.CreateSymbolicLink(Path.Combine(Tree, "link"), Path.Combine(Tree, "eicar.com"));
        // clamd runs as root here but drops nothing; make the tree readable anyway.
        foreach (var p in System.IO.Directory.GetFileSystemEntries(Directory, "*", SearchOption.AllDirectories).Append(Directory))
        {
            if (OperatingSystem.IsWindows())
            {
                continue;
            }

            File.SetUnixFileMode(p, File.GetUnixFileMode(p) | UnixFileMode.OtherRead | UnixFileMode.GroupRead
                | (System.IO.Directory.Exists(p) ? UnixFileMode.OtherExecute | UnixFileMode.GroupExecute : 0));
        }

        var clamdPath = new[] { "/usr/sbin/clamd", "/usr/bin/clamd" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("clamd is not installed: scripts/install-deps.sh installs clamav-daemon");
        ClamdTcp = new IPEndPoint(IPAddress.Loopback, FreePort());
        var conf = new StringBuilder()
            .AppendLine($"LocalSocket {ClamdUnix}")
            .AppendLine($"TCPSocket {ClamdTcp.Port}")
            .AppendLine("TCPAddr 127.0.0.1")
            .AppendLine($"DatabaseDirectory {Directory}/db")
            .AppendLine("Foreground yes")
            .AppendLine($"LogFile {Directory}/clamd.log")
            .AppendLine($"TemporaryDirectory {Directory}")
            .AppendLine("StreamMaxLength 1M");
        await File.WriteAllTextAsync(Path.Combine(Directory, "clamd.conf"), conf.ToString());
        var psi = new ProcessStartInfo(clamdPath, ["-c", Path.Combine(Directory, "clamd.conf")])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        clamd = Process.Start(psi)!;

        server = new ClamdServer(
            new ClamdServerOptions
            {
                UnixSocketPath = PosternUnix.ToString(),
                TcpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
                ScanRoots = [Directory],
                StreamMaxLength = StreamLimit,
                IdleTimeout = TimeSpan.FromSeconds(5),
            },
            new ScannerBackend(Scanner));
        await server.StartAsync(CancellationToken.None);

        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            if (clamd.HasExited)
            {
                throw new InvalidOperationException($"clamd exited: {await clamd.StandardError.ReadToEndAsync()} {await clamd.StandardOutput.ReadToEndAsync()}");
            }

            if (File.Exists(ClamdUnix.ToString()) && await Wire.ExchangeAsync(ClamdTcp, "zPING\0"u8.ToArray(), 500) == "PONG\0")
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("clamd did not answer PING in 60 s");
    }

    private static int FreePort()
    {
        // The helper's own range (21000-21999), probed for a free port.
        for (var port = 21000 + (Environment.ProcessId % 500); port < 21999; port++)
        {
            try
            {
                using var l = new TcpListener(IPAddress.Loopback, port);
                l.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("no free port in 21000-21999");
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        if (clamd is not null)
        {
            await ProcessExit.KillAsync(clamd, entireProcessTree: false);
            clamd.Dispose();
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
