using System.Net.Sockets;
using System.Text;
using Postern.Testing;

namespace Postern.Mda.Tests;

/// <summary>
/// <c>postern mda</c> as a real Postfix's <c>mailbox_command</c> (local(8): the command runs as the recipient, with
/// SENDER and RECIPIENT in its environment), delivering into a maildir: clean mail arrives marked, a virus bounces
/// with 5.7.1, a deferring policy leaves the mail in Postfix's queue.
/// </summary>
public sealed class PostfixMailboxCommandTests : IAsyncDisposable
{
    private const int SmtpPort = 23025;
    private const int RelayPort = 23026;
    private readonly Scratch scratch = new();

    public async ValueTask DisposeAsync()
    {
        scratch.Dispose();
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("native")]
    public async Task RealPostfix_DeliversCleanMailMarked_BouncesAVirus_AndDefersOnTheMdasTemporaryFailure(string program)
    {
        Assert.True(PrivatePostfix.IsInstalled, "Postfix is missing: scripts/deps/10-postfix.sh installs it");
        var maildir = scratch.File_("Maildir");
        foreach (var sub in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(Path.Combine(maildir, sub));
            File.SetUnixFileMode(Path.Combine(maildir, sub), (UnixFileMode)0x1FF);
        }

        // A maildir delivery agent: write to tmp/, rename into new/ (the maildir protocol).
        var deliver = scratch.Script("maildir-deliver", $"""
            set -e
            name=$(date +%s).$$.$(hostname)
            cat > '{maildir}/tmp/'$name
            mv '{maildir}/tmp/'$name '{maildir}/new/'$name
            """);
        File.WriteAllText(scratch.File_("special.conf"), "[daemon@mta.test.example]\naction_av = defer\n");
        File.AppendAllText(scratch.Config, "user_config = special.conf\n");
        File.SetUnixFileMode(scratch.Config, (UnixFileMode)0x1A4);
        File.SetUnixFileMode(scratch.File_("special.conf"), (UnixFileMode)0x1A4);

        await using var postfix = PrivatePostfix.Create(new PrivatePostfixOptions
        {
            SmtpPort = SmtpPort,
            RelayPort = RelayPort,
            Name = "postfix-mda-test",
            ExtraMain = $"""
                mydestination = mta.test.example
                local_recipient_maps =
                alias_maps =
                local_transport = local
                mailbox_command = {string.Join(' ', Scratch.MdaCommand(program, ["-c", scratch.Config, "mda", "--caller", "postfix", "--", deliver]))}
                """,
            ExtraMaster = "local     unix  -       n       n       -       -       local",
        });
        await postfix.StartAsync();

        await SendAsync("s@example.org", "nobody@mta.test.example", Messages.Clean("to nobody"));
        await SendAsync("s@example.org", "nobody@mta.test.example", Messages.Infected());
        await SendAsync("s@example.org", "daemon@mta.test.example", Messages.Clean("to daemon"));

        Assert.True(await postfix.WaitForLogAsync("status=bounced", TimeSpan.FromSeconds(120)), postfix.MaillogTail());
        // The local delivery to daemon@ defers (the bounce of the virus to s@example.org defers too: no relay listens).
        Assert.True(await UntilAsync(() => postfix.ReadMaillog().Split('\n').Any(l =>
            l.Contains("to=<daemon@mta.test.example>", StringComparison.Ordinal) && l.Contains("status=deferred", StringComparison.Ordinal))), postfix.MaillogTail());
        Assert.True(await postfix.WaitForLogAsync("status=sent (delivered to command", TimeSpan.FromSeconds(120)), postfix.MaillogTail());

        var delivered = Directory.GetFiles(Path.Combine(maildir, "new"));
        var text = Encoding.ASCII.GetString(await File.ReadAllBytesAsync(Assert.Single(delivered), TestContext.Current.CancellationToken));
        Assert.Contains("Subject: to nobody", text, StringComparison.Ordinal);
        Assert.Contains("X-Virus-Status: Clean", text, StringComparison.Ordinal);
        var log = postfix.ReadMaillog();
        Assert.Contains("5.7.1", log, StringComparison.Ordinal);
        Assert.Contains("Eicar-Test-Signature", log, StringComparison.Ordinal);
        Assert.DoesNotContain(log.Split('\n'), l => l.Contains("to=<daemon@mta.test.example>", StringComparison.Ordinal) && l.Contains("status=sent", StringComparison.Ordinal));
        Assert.True(postfix.QueueCount() >= 1, "the deferred message must stay in Postfix's queue");
    }

    private static async Task<bool> UntilAsync(Func<bool> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(120); DateTime.UtcNow < deadline; await Task.Delay(200, TestContext.Current.CancellationToken))
        {
            if (condition())
            {
                return true;
            }
        }

        return condition();
    }

    private static async Task SendAsync(string from, string to, byte[] message)
    {
        // Postfix answers within seconds; a stalled session fails the test rather than hang the run.
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(120));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", SmtpPort, cts.Token);
        await using var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        async Task Expect(string code)
        {
            string? line;
            do
            {
                line = await reader.ReadLineAsync(cts.Token);
                Assert.NotNull(line);
            }
            while (line!.Length > 3 && line[3] == '-');
            Assert.True(line.StartsWith(code, StringComparison.Ordinal), line);
        }

        async Task Send(string line) => await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), cts.Token);
        await Expect("220");
        await Send("HELO client.example.org");
        await Expect("250");
        await Send($"MAIL FROM:<{from}>");
        await Expect("250");
        await Send($"RCPT TO:<{to}>");
        await Expect("250");
        await Send("DATA");
        await Expect("354");
        var body = Encoding.ASCII.GetString(message).Replace("\n", "\r\n", StringComparison.Ordinal);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(body + ".\r\n"), cts.Token);
        await Expect("250");
        await Send("QUIT");
        await Expect("221");
    }
}
