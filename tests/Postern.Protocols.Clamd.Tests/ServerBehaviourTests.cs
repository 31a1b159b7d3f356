using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Postern.Protocols.Clamd.Tests.Support;
using Postern.Sdk.Messages;
using Postern.Testing;

namespace Postern.Protocols.Clamd.Tests;

/// <summary>What Postern's server does beyond clamd's replies: roots, limits, timeouts, descriptors, hostile input,
/// not-scanned results, and ClamAV's own clamdscan as the client. Not in parallel with other classes: one test counts
/// the bytes the whole process allocates while the server waits on a huge announced chunk.</summary>
[Collection(nameof(ServerBehaviourTests))]
public sealed class ServerBehaviourTests : IAsyncLifetime
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "postern-clamdb-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly SignatureScanner scanner = new();
    private ClamdServer server = null!;

    private string Root => Path.Combine(dir, "root");

    private UnixDomainSocketEndPoint Unix => new(Path.Combine(dir, "s.sock"));

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(Root, "sub"));
        Directory.CreateDirectory(Path.Combine(dir, "outside"));
        await File.WriteAllBytesAsync(Path.Combine(Root, "eicar.com"), Wire.Eicar);
        await File.WriteAllTextAsync(Path.Combine(Root, "clean.txt"), "clean\n");
        await File.WriteAllBytesAsync(Path.Combine(dir, "outside", "secret.com"), Wire.Eicar);
        File.CreateSymbolicLink(Path.Combine(Root, "escape"), Path.Combine(dir, "outside", "secret.com"));
        File.CreateSymbolicLink(Path.Combine(Root, "sub", "dirlink"), Path.Combine(dir, "outside"));
        server = await StartAsync(new ClamdServerOptions());
    }

    private async Task<ClamdServer> StartAsync(ClamdServerOptions options, string socket = "s.sock")
    {
        options.UnixSocketPath = Path.Combine(dir, socket);
        options.TcpEndPoint = new IPEndPoint(IPAddress.Loopback, 0);
        options.ScanRoots = [Root];
        var s = new ClamdServer(options, new ScannerBackend(scanner));
        await s.StartAsync(CancellationToken.None);
        return s;
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        Directory.Delete(dir, recursive: true);
    }

    private Task<string> Ask(string request) => Wire.ExchangeAsync(Unix, Encoding.UTF8.GetBytes(request));

    [Fact]
    public async Task PathOutsideTheRootsIsRefusedAndNotRead()
    {
        var outside = Path.Combine(dir, "outside", "secret.com");
        Assert.Equal($"{outside}: Access denied. ERROR\0", await Ask($"zSCAN {outside}\0"));
        Assert.Equal("/etc/passwd: Access denied. ERROR\0", await Ask("zSCAN /etc/passwd\0"));
        Assert.DoesNotContain(scanner.Names, n => n.Contains("secret", StringComparison.Ordinal) || n.Contains("passwd", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DotDotAndSymbolicLinksOutOfTheRootAreRefused()
    {
        var dotdot = Path.Combine(Root, "..", "outside", "secret.com");
        Assert.Equal($"{dotdot}: Access denied. ERROR\0", await Ask($"zSCAN {dotdot}\0"));
        var link = Path.Combine(Root, "escape");
        Assert.Equal($"{link}: Access denied. ERROR\0", await Ask($"zCONTSCAN {link}\0"));
        var throughDirLink = Path.Combine(Root, "sub", "dirlink", "secret.com");
        Assert.Equal($"{throughDirLink}: Access denied. ERROR\0", await Ask($"zSCAN {throughDirLink}\0"));
        // A directory scan does not follow the links inside it either: only eicar.com is found.
        Assert.Equal($"{Root}/eicar.com: Eicar-Test-Signature FOUND\0", await Ask($"zCONTSCAN {Root}\0"));
    }

    [Fact]
    public async Task NoRootsConfiguredRefusesEveryPath()
    {
        await using var s = new ClamdServer(new ClamdServerOptions { UnixSocketPath = Path.Combine(dir, "n.sock") }, new ScannerBackend(scanner));
        await s.StartAsync(CancellationToken.None);
        var file = Path.Combine(Root, "eicar.com");
        Assert.Equal($"{file}: Access denied. ERROR\0",
            await Wire.ExchangeAsync(new UnixDomainSocketEndPoint(Path.Combine(dir, "n.sock")), Encoding.UTF8.GetBytes($"zSCAN {file}\0")));
    }

    [Fact]
    public async Task NotScannedIsAnErrorNeverOk()
    {
        scanner.Override = _ => new ScanReport(ScanStatus.NotScanned, [], ["archive.zip: encrypted"], 1, TimeSpan.Zero);
        Assert.Equal("stream: Not scanned (archive.zip: encrypted) ERROR\0", await Wire.ExchangeAsync(Unix, Wire.Stream("x"u8.ToArray())));
        Assert.Equal($"{Root}/clean.txt: Not scanned (archive.zip: encrypted) ERROR\0", await Ask($"zSCAN {Root}/clean.txt\0"));
        scanner.Override = _ => throw new InvalidOperationException("engine crashed");
        Assert.Equal("stream: Not scanned (scanner failure) ERROR\0", await Wire.ExchangeAsync(Unix, Wire.Stream("x"u8.ToArray())));
        scanner.Override = _ => new ScanReport(ScanStatus.NotScanned, [], ["evil\nname\0: OK"], 1, TimeSpan.Zero);
        Assert.Equal("stream: Not scanned (evil?name?: OK) ERROR\0", await Wire.ExchangeAsync(Unix, Wire.Stream("x"u8.ToArray())));
    }

    [Fact]
    public async Task OversizedCommandLineGetsUnknownCommandAndIsClosed()
    {
        var reply = await Wire.ExchangeAsync(Unix, Encoding.ASCII.GetBytes("zSCAN /" + new string('a', 100_000) + "\0"));
        Assert.StartsWith("UNKNOWN COMMAND\0", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("<open>", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnnouncedHugeChunkAllocatesNothingAndTheServerWaitsThenTimesOut()
    {
        await using var s = await StartAsync(new ClamdServerOptions { ReadTimeout = TimeSpan.FromSeconds(1), StreamMaxLength = 2_000_000_000 }, "t.sock");
        using var c = Wire.Connect(new UnixDomainSocketEndPoint(Path.Combine(dir, "t.sock")));
        var before = GC.GetTotalAllocatedBytes(true);
        await c.SendAsync(new byte[] { (byte)'z', (byte)'I', (byte)'N', (byte)'S', (byte)'T', (byte)'R', (byte)'E', (byte)'A', (byte)'M', 0, 0x70, 0, 0, 0, 1, 2, 3 }, SocketFlags.None);
        var reply = await Wire.ReadAllAsync(c, 5000);
        Assert.Equal("", reply); // closed after the read timeout, no verdict
        Assert.True(GC.GetTotalAllocatedBytes(true) - before < 50_000_000, "memory followed the announced length");
    }

    [Fact]
    public async Task SilentClientIsDroppedAfterTheCommandTimeoutAndIdleSessionAfterTheIdleTimeout()
    {
        await using var s = await StartAsync(new ClamdServerOptions { CommandReadTimeout = TimeSpan.FromMilliseconds(500), IdleTimeout = TimeSpan.FromMilliseconds(500) }, "i.sock");
        var ep = new UnixDomainSocketEndPoint(Path.Combine(dir, "i.sock"));
        var watch = Stopwatch.StartNew();
        using (var c = Wire.Connect(ep))
        {
            Assert.Equal("", await Wire.ReadAllAsync(c, 5000));
        }

        using (var c = Wire.Connect(ep))
        {
            await c.SendAsync("zIDSESSION\0zPING\0"u8.ToArray(), SocketFlags.None);
            Assert.Equal("1: PONG\0", await Wire.ReadAllAsync(c, 5000));
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ClientThatNeverReadsItsRepliesIsCutOffAndFreesItsSlot()
    {
        await using var s = await StartAsync(new ClamdServerOptions { MaxConnections = 1, ReadTimeout = TimeSpan.FromSeconds(1), MaxSessionCommands = 10_000_000 }, "w.sock");
        var ep = new UnixDomainSocketEndPoint(Path.Combine(dir, "w.sock"));
        using var greedy = Wire.Connect(ep);
        var pings = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("zPING\0", 50_000)));
        var writer = Task.Run(async () =>
        {
            try
            {
                await greedy.SendAsync("zIDSESSION\0"u8.ToArray(), SocketFlags.None);
                for (var i = 0; i < 100; i++)
                {
                    await greedy.SendAsync(pings, SocketFlags.None);
                }

                return false;
            }
            catch (SocketException)
            {
                return true; // the server closed the connection
            }
        });
        Assert.True(await writer.WaitAsync(TimeSpan.FromSeconds(30)), "the server kept a client that never reads");
        var watch = Stopwatch.StartNew();
        var reply = await Wire.ExchangeAsync(ep, "zPING\0"u8.ToArray(), 10_000);
        Assert.True(reply == "PONG\0", $"{reply} after {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task RandomGarbageNeverCrashesTheServer()
    {
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var junk = new byte[random.Next(1, 300)];
            random.NextBytes(junk);
            if (i % 3 == 0)
            {
                junk[0] = (byte)"zn"[i % 2];
            }

            await Wire.ExchangeAsync(i % 2 == 0 ? Unix : server.BoundTcpEndPoint!, junk, 100);
        }

        Assert.Equal("PONG\0", await Ask("zPING\0"));
    }

    [Fact]
    public async Task ConnectionLimitQueuesTheRestInsteadOfRefusing()
    {
        await using var s = await StartAsync(new ClamdServerOptions { MaxConnections = 2 }, "l.sock");
        var ep = new UnixDomainSocketEndPoint(Path.Combine(dir, "l.sock"));
        using var a = Wire.Connect(ep);
        using var b = Wire.Connect(ep);
        await a.SendAsync("zIDSESSION\0"u8.ToArray(), SocketFlags.None);
        await b.SendAsync("zIDSESSION\0"u8.ToArray(), SocketFlags.None);
        await Task.Delay(300);
        var third = Wire.ExchangeAsync(ep, "zPING\0"u8.ToArray(), 10_000);
        await Task.Delay(500);
        Assert.False(third.IsCompleted, "a third connection was served past the limit");
        a.Dispose();
        Assert.Equal("PONG\0", await third);
    }

    [Fact]
    public async Task FildesScansThePassedDescriptor()
    {
        using var c = Wire.Connect(Unix);
        await using var f = File.OpenRead(Path.Combine(Root, "eicar.com"));
        await c.SendAsync("zFILDES\0"u8.ToArray(), SocketFlags.None);
        FdPassing.Send(c, (int)f.SafeFileHandle.DangerousGetHandle());
        var reply = await Wire.ReadAllAsync(c, 3000);
        Assert.Matches(@"^fd\[\d+\]: Eicar-Test-Signature FOUND\0$", reply);
    }

    [Fact]
    public async Task StatsHasClamdsShapeAlsoInsideASession()
    {
        var stats = await Ask("nSTATS\n");
        Assert.StartsWith("POOLS: 1\n\nSTATE: VALID PRIMARY\nTHREADS: live ", stats, StringComparison.Ordinal);
        Assert.EndsWith("\nEND\n", stats, StringComparison.Ordinal);
        var session = await Ask("zIDSESSION\0zSTATS\0zEND\0");
        Assert.StartsWith("1: POOLS: 1\n", session, StringComparison.Ordinal);
        Assert.EndsWith("END\0", session, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FildesOverTcpIsRefused()
    {
        Assert.Equal("FILDES: didn't receive file descriptor. ERROR\0", await Wire.ExchangeAsync(server.BoundTcpEndPoint!, "zFILDES\0"u8.ToArray()));
    }

    [Fact]
    public async Task StopClosesIdleConnectionsAndRemovesTheSocket()
    {
        var s = await StartAsync(new ClamdServerOptions(), "x.sock");
        using var c = Wire.Connect(new UnixDomainSocketEndPoint(Path.Combine(dir, "x.sock")));
        await c.SendAsync("zIDSESSION\0"u8.ToArray(), SocketFlags.None);
        await Task.Delay(200);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await s.StopAsync(cts.Token);
        Assert.Equal("", await Wire.ReadAllAsync(c, 2000));
        Assert.False(File.Exists(Path.Combine(dir, "x.sock")));
        await s.DisposeAsync();
    }

    [Fact]
    public async Task SecondServerOnALiveSocketFails()
    {
        var second = new ClamdServer(new ClamdServerOptions { UnixSocketPath = Unix.ToString() }, new ScannerBackend(scanner));
        await Assert.ThrowsAsync<IOException>(() => second.StartAsync(CancellationToken.None));
        Assert.Equal("PONG\0", await Ask("zPING\0"));
    }

    public static TheoryData<string, string> ClamdscanModes() => new()
    {
        { "--stream", "stream" },
        { "--fdpass", "fdpass" },
        { "plain", "plain" },
        { "--multiscan", "multi" },
    };

    [Theory]
    [MemberData(nameof(ClamdscanModes))]
    public async Task ClamdscanFromClamAvWorksAgainstTheServer(string mode, string label)
    {
        var conf = Path.Combine(dir, $"clamdscan-{label}.conf");
        await File.WriteAllTextAsync(conf, $"LocalSocket {Unix}\n");
        var args = new List<string> { "-c", conf, "--no-summary" };
        if (mode != "plain")
        {
            args.Add(mode);
        }

        var eicar = Path.Combine(Root, "eicar.com");
        var clean = Path.Combine(Root, "clean.txt");
        var (code, output) = await RunAsync("clamdscan", [.. args, eicar, clean]);
        Assert.Contains($"{eicar}: Eicar-Test-Signature FOUND", output, StringComparison.Ordinal);
        Assert.Contains($"{clean}: OK", output, StringComparison.Ordinal);
        Assert.Equal(1, code);
        var (cleanCode, cleanOutput) = await RunAsync("clamdscan", [.. args, clean]);
        Assert.Equal(0, cleanCode);
        Assert.Contains($"{clean}: OK", cleanOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClamdscanMultiscanFdpassOnADirectoryPipelinesDescriptorsInOneSession()
    {
        var conf = Path.Combine(dir, "clamdscan-multi-fd.conf");
        await File.WriteAllTextAsync(conf, $"LocalSocket {Unix}\n");
        for (var i = 0; i < 40; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(Root, "sub", $"clean{i:00}.txt"), $"clean {i}\n");
        }

        var (code, output) = await RunAsync("clamdscan", ["-c", conf, "--no-summary", "--multiscan", "--fdpass", Path.Combine(Root, "sub")]);
        Assert.DoesNotContain("ERROR", output, StringComparison.Ordinal);
        Assert.Equal(0, code);
        (code, output) = await RunAsync("clamdscan", ["-c", conf, "--no-summary", "--multiscan", "--fdpass", Root]);
        Assert.Contains($"{Root}/eicar.com: Eicar-Test-Signature FOUND", output, StringComparison.Ordinal);
        Assert.DoesNotContain("ERROR", output, StringComparison.Ordinal);
        Assert.Equal(1, code);
    }

    [Fact]
    public async Task ClamdscanOnStandardInputUsesInstream()
    {
        var conf = Path.Combine(dir, "clamdscan-stdin.conf");
        await File.WriteAllTextAsync(conf, $"LocalSocket {Unix}\n");
        var (code, output) = await RunAsync("clamdscan", ["-c", conf, "--no-summary", "-"], Wire.Eicar);
        Assert.Contains("stream: Eicar-Test-Signature FOUND", output, StringComparison.Ordinal);
        Assert.Equal(1, code);
    }

    [Fact]
    public async Task ClamdscanReportsAnErrorWhenTheServerIsGone()
    {
        var conf = Path.Combine(dir, "clamdscan-gone.conf");
        await File.WriteAllTextAsync(conf, $"LocalSocket {dir}/nobody.sock\n");
        var (code, _) = await RunAsync("clamdscan", ["-c", conf, "--no-summary", "--stream", Path.Combine(Root, "clean.txt")]);
        Assert.Equal(2, code);
    }

    private static async Task<(int Code, string Output)> RunAsync(string program, IEnumerable<string> args, byte[]? stdin = null)
    {
        try
        {
            var r = await ProcessRunner.RunAsync(program, args, TimeSpan.FromSeconds(60), stdin: stdin);
            return (r.ExitCode, r.Stdout + r.Stderr);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{program} is not installed: scripts/deps/30-exim.sh installs clamdscan ({e.Message})");
        }
    }
}

/// <summary>The collection <see cref="ServerBehaviourTests"/> runs in alone.</summary>
[CollectionDefinition(nameof(ServerBehaviourTests), DisableParallelization = true)]
public sealed class ServerBehaviourCollection;
