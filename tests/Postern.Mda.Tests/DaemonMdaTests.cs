using System.Net.Sockets;
using System.Text;
using Postern.Protocols.Local;
using Postern.Sdk.Messages;

namespace Postern.Mda.Tests;

/// <summary><c>postern mda</c> handing messages to a running daemon over its local socket, and the socket's
/// behaviour with hostile clients. The cases with a program parameter run the managed verb ("managed") and the native
/// <c>postern-mda</c> ("native") alike.</summary>
public sealed class DaemonMdaTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private Scratch S => fixture.Scratch;

    private string NewOut() => S.File_("out-" + Guid.NewGuid().ToString("N"));

    private string CatMda(string output) => S.Script("mda-" + Path.GetFileName(output) + ".sh", $"cat > '{output}'");

    [Theory]
    [InlineData("managed")]
    [InlineData("native")]
    public async Task Clean_GoesThroughTheDaemon_AndTheMarkedCopyReachesTheMda(string program)
    {
        var output = NewOut();
        var id = "Q" + Guid.NewGuid().ToString("N")[..10];
        var r = await S.RunMdaAsync(program, ["-c", S.Config, "mda", "--queue-id", id, "-f", "s@example.org", "-r", "b@example.net", "--", CatMda(output)], Messages.Clean());

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True(await fixture.Daemon.WaitForLogAsync(id, TimeSpan.FromSeconds(10)), "the daemon logged no summary for the message:\n" + fixture.Daemon.Log);
        var delivered = await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken);
        Assert.Contains("X-Virus-Status: Clean", Encoding.ASCII.GetString(delivered), StringComparison.Ordinal);
        Assert.True(Messages.EndsWith(delivered, Messages.Clean()));
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("native")]
    public async Task Infected_ThroughTheDaemon_IsRefused(string program)
    {
        var output = NewOut();
        var id = "Q" + Guid.NewGuid().ToString("N")[..10];
        var r = await S.RunMdaAsync(program, ["-c", S.Config, "mda", "--queue-id", id, "--", CatMda(output)], Messages.Infected());

        Assert.True(r.ExitCode == 77, r.ToString());
        Assert.True(await fixture.Daemon.WaitForLogAsync(id, TimeSpan.FromSeconds(10)), fixture.Daemon.Log);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("native")]
    public async Task AHugeMessage_IsStreamedThroughTheDaemonAndDeliveredWhole(string program)
    {
        var output = NewOut();
        var message = Messages.Large(24 << 20);
        var r = await S.RunMdaAsync(program, ["-c", S.Config, "mda", "--", CatMda(output)], message, seconds: 180);

        Assert.True(r.ExitCode == 0, r.ToString());
        var delivered = await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken);
        Assert.True(delivered.Length > message.Length && Messages.EndsWith(delivered, message), $"delivered {delivered.Length} of {message.Length} bytes");
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("native")]
    public async Task ADaemonThatAnswersGarbage_IsATemporaryFailure_NeverAFallbackOrADelivery(string program)
    {
        var socketPath = S.File_("garbage-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(4);
        var serve = Task.Run(async () =>
        {
            // Bounded: a client that never connects must fail the test, not hang it.
            using var accept = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            accept.CancelAfter(TimeSpan.FromSeconds(60));
            using var c = await listener.AcceptAsync(accept.Token);
            var buffer = new byte[4096];
            await c.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
            await c.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.0 200 OK\r\n\r\n"), TestContext.Current.CancellationToken);
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }, TestContext.Current.CancellationToken);
        var output = NewOut();
        var r = await S.RunMdaAsync(program, ["-c", S.Config, "mda", "--socket", socketPath, "--", CatMda(output)], Messages.Clean());
        await serve;

        Assert.True(r.ExitCode == 75, r.ToString());
        Assert.StartsWith("4.3.0 ", r.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("native")]
    public async Task ADaemonThatDiesMidMessage_IsATemporaryFailure(string program)
    {
        var socketPath = S.File_("dying-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(4);
        var serve = Task.Run(async () =>
        {
            // Bounded: a client that never connects must fail the test, not hang it.
            using var accept = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            accept.CancelAfter(TimeSpan.FromSeconds(60));
            using var c = await listener.AcceptAsync(accept.Token);
            var buffer = new byte[1000];
            await c.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
            c.Close();
        }, TestContext.Current.CancellationToken);
        var output = NewOut();
        var r = await S.RunMdaAsync(program, ["-c", S.Config, "mda", "--caller", "qmail", "--socket", socketPath, "--", CatMda(output)], Messages.Large(2 << 20));
        await serve;

        Assert.True(r.ExitCode == 111, r.ToString());
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("native")]
    public async Task AStaleSocketWithNoDaemon_FallsBackToScanningInProcess(string program)
    {
        var socketPath = S.File_("stale-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        // What a daemon killed with SIGKILL leaves: a path nobody listens on (.NET unlinks its own bound sockets).
        await File.WriteAllTextAsync(socketPath, "", TestContext.Current.CancellationToken);
        Assert.True(File.Exists(socketPath));
        var output = NewOut();
        var r = await S.RunMdaAsync(program, ["-c", S.Config, "mda", "--socket", socketPath, "--", CatMda(output)], Messages.Infected());

        Assert.True(r.ExitCode == 77, r.ToString());
        r = await S.RunMdaAsync(program, ["-c", S.Config, "mda", "--socket", socketPath, "--", CatMda(output)], Messages.Clean());
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("X-Virus-Status: Clean", await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("managed", "postfix", "b@example.net", "infected", 77)]
    [InlineData("managed", "sendmail", "b@example.net", "infected", 69)]
    [InlineData("managed", "qmail", "held@example.net", "clean", 111)]
    [InlineData("managed", "qmail", "dropped@example.net", "infected", 99)]
    [InlineData("native", "postfix", "b@example.net", "infected", 77)]
    [InlineData("native", "exim", "b@example.net", "infected", 77)]
    [InlineData("native", "sendmail", "b@example.net", "infected", 69)]
    [InlineData("native", "qmail", "b@example.net", "infected", 100)]
    [InlineData("native", "postfix", "held@example.net", "clean", 75)]
    [InlineData("native", "qmail", "held@example.net", "clean", 111)]
    [InlineData("native", "postfix", "dropped@example.net", "infected", 0)]
    [InlineData("native", "qmail", "dropped@example.net", "infected", 99)]
    public async Task TheDaemonsDecision_GivesTheCallersCode_AndOnlyAcceptDelivers(string program, string caller, string recipient, string kind, int expected)
    {
        var output = NewOut();
        var id = "Q" + Guid.NewGuid().ToString("N")[..10];
        var message = kind == "clean" ? Messages.Clean() : Messages.Infected();
        var r = await S.RunMdaAsync(program, ["-c", S.Config, "mda", "--caller", caller, "--queue-id", id, "-r", recipient, "--", CatMda(output)], message);

        Assert.True(r.ExitCode == expected, r.ToString());
        Assert.True(await fixture.Daemon.WaitForLogAsync(id, TimeSpan.FromSeconds(10)), "not decided by the daemon:\n" + fixture.Daemon.Log);
        Assert.False(File.Exists(output));
        if (expected is 75 or 111)
        {
            Assert.StartsWith(caller == "postfix" ? "4.3.0 Postern: temporary failure: " : "Postern: temporary failure: ", r.Stdout, StringComparison.Ordinal);
        }
        else if (expected is 77 or 69 or 100)
        {
            Assert.StartsWith(caller == "postfix" ? "5.7.1 Message refused by Postern: " : "Message refused by Postern: ", r.Stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("native")]
    public async Task NoDaemonOption_WithADaemonUp_ScansInProcess_AndDelivers(string program)
    {
        var output = NewOut();
        var id = "Q" + Guid.NewGuid().ToString("N")[..10];
        var r = await S.RunMdaAsync(program, ["-c", S.Config, "mda", "--no-daemon", "--queue-id", id, "--", CatMda(output)], Messages.Clean());

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True(Messages.EndsWith(await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken), Messages.Clean()));
        Assert.False(await fixture.Daemon.WaitForLogAsync(id, TimeSpan.FromSeconds(2)), "the daemon saw a --no-daemon message:\n" + fixture.Daemon.Log);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("oversize")]
    [InlineData("agent")]
    [InlineData("short")]
    public async Task AHostileClient_GetsAnErrorOrAClose_AndTheDaemonServesTheNextMessage(string kind)
    {
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(S.Socket), TestContext.Current.CancellationToken);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var envelope = new Envelope("s@example.org", ["b@example.net"], Agent: kind == "agent" ? "no-such-agent" : "mda");
            switch (kind)
            {
                case "garbage":
                    await stream.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.0\r\n\r\n"), TestContext.Current.CancellationToken);
                    break;
                case "oversize":
                    await LocalFrames.WriteAsync(stream, LocalFrames.Submit, new LocalSubmission(envelope, 100L << 30).Encode(), TestContext.Current.CancellationToken);
                    break;
                case "agent":
                    await LocalFrames.WriteAsync(stream, LocalFrames.Submit, new LocalSubmission(envelope, 10).Encode(), TestContext.Current.CancellationToken);
                    break;
                default:
                    // Promises 1000 bytes, sends 10 and hangs up.
                    await LocalFrames.WriteAsync(stream, LocalFrames.Submit, new LocalSubmission(envelope, 1000).Encode(), TestContext.Current.CancellationToken);
                    await LocalFrames.WriteAsync(stream, LocalFrames.Chunk, new byte[10], TestContext.Current.CancellationToken);
                    socket.Shutdown(SocketShutdown.Send);
                    break;
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var header = await LocalFrames.ReadHeaderAsync(stream, cts.Token);
            if (kind != "short")
            {
                Assert.NotNull(header);
                Assert.Equal(LocalFrames.Error, header.Value.Type);
                var text = Encoding.UTF8.GetString(await LocalFrames.ReadPayloadAsync(stream, header.Value.Length, cts.Token));
                Assert.Contains(kind switch { "garbage" => "protocol error", "oversize" => "over the", _ => "unknown agent" }, text, StringComparison.Ordinal);
            }
            else
            {
                Assert.Null(header);
            }
        }

        foreach (var program in new[] { "managed", "native" })
        {
            var r = await S.RunMdaAsync(program, ["-c", S.Config, "mda", "--", "/bin/sh", "-c", "cat >/dev/null"], Messages.Clean());
            Assert.True(r.ExitCode == 0, r.ToString());
        }
    }

    [Theory]
    [InlineData("managed", "cat >/dev/null; exit 67", "postfix", 67)]
    [InlineData("managed", "cat >/dev/null; kill -9 $$", "postfix", 75)]
    [InlineData("managed", "cat >/dev/null; kill -TERM $$", "qmail", 111)]
    [InlineData("managed", "exit 200", "postfix", 75)]
    [InlineData("native", "cat >/dev/null; exit 67", "postfix", 67)]
    [InlineData("native", "cat >/dev/null; exit 0", "qmail", 0)]
    [InlineData("native", "cat >/dev/null; kill -9 $$", "postfix", 75)]
    [InlineData("native", "cat >/dev/null; kill -TERM $$", "qmail", 111)]
    [InlineData("native", "exit 200", "postfix", 75)]
    public async Task AfterTheDaemonAccepts_TheMdasStatusIsPassedOn_AndItsDeathBySignalIsATemporaryFailure(string program, string body, string caller, int expected)
    {
        // The native client starts the MDA itself (posix_spawn, waitpid) once the daemon said accept.
        var mda = S.Script("status-" + Guid.NewGuid().ToString("N") + ".sh", body);
        var r = await S.RunMdaAsync(program, ["-c", S.Config, "mda", "--caller", caller, "-r", "b@example.net", "--", mda], Messages.Clean());

        Assert.True(r.ExitCode == expected, r.ToString());
    }

    [Theory]
    [InlineData("managed", "missing")]
    [InlineData("managed", "not-executable")]
    [InlineData("native", "missing")]
    [InlineData("native", "not-executable")]
    [InlineData("native", "a-directory")]
    public async Task AnMdaThatCannotBeStarted_IsATemporaryFailure(string program, string kind)
    {
        var path = S.File_(kind + "-" + Guid.NewGuid().ToString("N"));
        if (kind == "not-executable")
        {
            File.WriteAllText(path, "#!/bin/sh\ncat\n");
        }
        else if (kind == "a-directory")
        {
            Directory.CreateDirectory(path);
        }

        var r = await S.RunMdaAsync(program, ["-c", S.Config, "mda", "--caller", "qmail", "--", path], Messages.Clean());

        Assert.True(r.ExitCode == 111, r.ToString());
        Assert.Contains("cannot run", r.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("native")]
    public async Task AnMdaNamedWithoutAPath_IsFoundInPath_WithItsArgumentsAndTheEnvironment(string program)
    {
        var output = NewOut();
        var bin = S.File_("bin-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(bin);
        File.WriteAllText(Path.Combine(bin, "my-mda"), $"#!/bin/sh\nprintf '%s|%s|%s\\n' \"$0\" \"$1 $2\" \"$POSTERN_TEST_VALUE\" > '{output}.args'\ncat > '{output}'\n");
        File.SetUnixFileMode(Path.Combine(bin, "my-mda"), (UnixFileMode)0x1ED);
        var env = new Dictionary<string, string?> { ["PATH"] = bin + ":/usr/bin:/bin", ["POSTERN_TEST_VALUE"] = "x y=z" };
        var r = await S.RunMdaAsync(program, ["-c", S.Config, "mda", "--", "my-mda", "one two", "three"], Messages.Clean(), env);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal($"{Path.Combine(bin, "my-mda")}|one two three|x y=z\n", await File.ReadAllTextAsync(output + ".args", TestContext.Current.CancellationToken));
        Assert.True(Messages.EndsWith(await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken), Messages.Clean()));
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("native")]
    public async Task WithSigchldIgnoredByTheCaller_TheMdasStatusIsStillKnown(string program)
    {
        // An MTA may start us with SIGCHLD ignored; then the kernel would reap the MDA and its status would be lost.
        var mda = S.Script("exit67-" + Guid.NewGuid().ToString("N") + ".sh", "cat >/dev/null; exit 67");
        var command = Scratch.MdaCommand(program, ["-c", S.Config, "mda", "--", mda]);
        var script = S.Script("ignore-chld-" + Guid.NewGuid().ToString("N") + ".sh", "trap '' CHLD; exec \"$@\"");
        var r = await Postern.Testing.ProcessRunner.RunAsync(script, command, TimeSpan.FromSeconds(120), null, Messages.Clean(), S.Root);

        Assert.True(r.ExitCode == 67, r.ToString());
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("native")]
    public async Task AMessageUpTo1MiB_NeverTouchesTheSpoolDirectory(string program)
    {
        // A spool directory that does not exist: a small message never needs it (the managed verb keeps it in memory,
        // the native client in a memfd), so it is delivered.
        var missing = S.File_("no-such-dir-" + Guid.NewGuid().ToString("N"));
        var output = NewOut();
        var message = Messages.Large(512 << 10);
        var r = await S.RunMdaAsync(program, ["-c", S.Config, "mda", "--spool-dir", missing, "--", CatMda(output)], message);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True(Messages.EndsWith(await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken), message));
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task TheNativeClient_SpoolsAMessageOver1MiB_InTheSpoolDirectory_AndLeavesNothingThere()
    {
        var dir = S.File_("spool-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var output = NewOut();
        var message = Messages.Large(3 << 20);
        // The MDA lists the spool directory while the spooled copy is its standard input: nameless, so nothing shows.
        var mda = S.Script("ls-" + Guid.NewGuid().ToString("N") + ".sh", $"ls -A '{dir}' > '{output}.ls'; cat > '{output}'");
        var r = await S.RunMdaAsync("native", ["-c", S.Config, "mda", "--spool-dir", dir, "--", mda], message);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True(Messages.EndsWith(await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken), message));
        Assert.Equal("", await File.ReadAllTextAsync(output + ".ls", TestContext.Current.CancellationToken));
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }
}
