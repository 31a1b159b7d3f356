using System.Text;

namespace Postern.Mda.Tests;

/// <summary><c>postern qmail-queue</c> driven through the fds exactly as qmail-smtpd opens them.</summary>
public sealed class QmailQueueTests : IDisposable
{
    private readonly Scratch scratch = new();
    private readonly FakeQmailQueue fake;

    public QmailQueueTests() => fake = new FakeQmailQueue(scratch);

    public void Dispose() => scratch.Dispose();

    private string[] Command => [Scratch.Postern, "-c", scratch.Config, "qmail-queue", "--real", fake.Program];

    [Fact]
    public async Task Clean_IsQueuedThroughTheRealQmailQueue_WithTheSameEnvelopeAndTheMarkedMessage()
    {
        var envelope = QmailHarness.Envelope("s@example.org", "a@example.net", "b@example.net");
        var r = await QmailHarness.RunAsync(scratch, Command, Messages.Clean(), envelope);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(envelope, await File.ReadAllBytesAsync(fake.EnvelopePath, TestContext.Current.CancellationToken));
        var queued = await File.ReadAllBytesAsync(fake.MessagePath, TestContext.Current.CancellationToken);
        Assert.Contains("X-Virus-Status: Clean", Encoding.ASCII.GetString(queued), StringComparison.Ordinal);
        Assert.True(Messages.EndsWith(queued, Messages.Clean()));
        Assert.Equal("", r.CustomError);
    }

    [Fact]
    public async Task TheNullSender_F0_IsQueued()
    {
        var envelope = QmailHarness.Envelope("", "postmaster@example.net");
        var r = await QmailHarness.RunAsync(scratch, Command, Messages.Clean(), envelope);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(envelope, await File.ReadAllBytesAsync(fake.EnvelopePath, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(31)]
    [InlineData(53)]
    [InlineData(71)]
    [InlineData(82)]
    public async Task TheRealQmailQueuesExitCode_IsPassedThrough(int code)
    {
        fake.ExitWith(code);
        var r = await QmailHarness.RunAsync(scratch, Command, Messages.Clean(), QmailHarness.Envelope("s@example.org", "a@example.net"), customErrorPipe: false);

        Assert.True(r.ExitCode == code, r.ToString());
        Assert.True(fake.Called);
    }

    [Fact]
    public async Task Infected_WithTheCustomErrorPipe_Is82AndDText_AndIsNeverQueued()
    {
        var r = await QmailHarness.RunAsync(scratch, Command, Messages.Infected(), QmailHarness.Envelope("s@example.org", "a@example.net"));

        Assert.True(r.ExitCode == 82, r.ToString());
        Assert.StartsWith("D", r.CustomError, StringComparison.Ordinal);
        Assert.Contains("Eicar-Test-Signature", r.CustomError, StringComparison.Ordinal);
        Assert.False(fake.Called);
    }

    [Fact]
    public async Task Infected_WithoutTheCustomErrorPipe_Is31()
    {
        var r = await QmailHarness.RunAsync(scratch, Command, Messages.Infected(), QmailHarness.Envelope("s@example.org", "a@example.net"), customErrorPipe: false);

        Assert.True(r.ExitCode == 31, r.ToString());
        Assert.False(fake.Called);
    }

    [Fact]
    public async Task Defer_Is82AndZText_Or71()
    {
        File.AppendAllText(scratch.Config, "[qmail]\naction_av = defer\n");
        var r = await QmailHarness.RunAsync(scratch, Command, Messages.Clean(), QmailHarness.Envelope("s@example.org", "a@example.net"));
        Assert.True(r.ExitCode == 82 && r.CustomError.StartsWith('Z'), r.ToString());

        r = await QmailHarness.RunAsync(scratch, Command, Messages.Clean(), QmailHarness.Envelope("s@example.org", "a@example.net"), customErrorPipe: false);
        Assert.True(r.ExitCode == 71, r.ToString());
        Assert.False(fake.Called);
    }

    [Fact]
    public async Task TheCallerClosingTheEnvelopeEarly_Is54_AndNothingIsQueued()
    {
        var partial = Encoding.ASCII.GetBytes("Fs@example.org\0Ta@example.net\0");
        var r = await QmailHarness.RunAsync(scratch, Command, Messages.Clean(), partial, customErrorPipe: false);

        Assert.True(r.ExitCode == 54, r.ToString());
        Assert.False(fake.Called);
    }

    [Theory]
    [InlineData("Xs@example.org\0Ta@example.net\0\0")]
    [InlineData("Fs@example.org\0a@example.net\0\0")]
    [InlineData("\0")]
    public async Task AMalformedEnvelope_Is91_AndNothingIsQueued(string envelope)
    {
        var r = await QmailHarness.RunAsync(scratch, Command, Messages.Clean(), Encoding.ASCII.GetBytes(envelope), customErrorPipe: false);

        Assert.True(r.ExitCode == 91, r.ToString());
        Assert.False(fake.Called);
    }

    [Fact]
    public async Task AHugeMessage_WrittenWholeBeforeTheEnvelope_DoesNotDeadlock()
    {
        var message = Messages.Large(12 << 20);
        var r = await QmailHarness.RunAsync(scratch, Command, message, QmailHarness.Envelope("s@example.org", "a@example.net"));

        Assert.True(r.ExitCode == 0, r.ToString());
        var queued = await File.ReadAllBytesAsync(fake.MessagePath, TestContext.Current.CancellationToken);
        Assert.True(Messages.EndsWith(queued, message), $"queued {queued.Length} of {message.Length}");
    }

    [Fact]
    public async Task TheQmailSection_NamesTheRealQmailQueue_AndPassesConfigCheck()
    {
        File.AppendAllText(scratch.Config, $"[qmail]\nreal_qmail_queue = {fake.Program}\ncustom_error_fd = 6\ntemp_dir = {scratch.Root}\n[zmailer]\nreply_timeout = 90s\n");
        var check = await scratch.RunAsync(["config", "check", scratch.Config]);
        Assert.True(check.ExitCode == 0, check.ToString());

        var r = await QmailHarness.RunAsync(scratch, [Scratch.Postern, "-c", scratch.Config, "qmail-queue"], Messages.Clean(), QmailHarness.Envelope("s@example.org", "a@example.net"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True(fake.Called);
    }

    [Fact]
    public async Task AMissingRealQmailQueue_IsATemporaryFailure()
    {
        var r = await QmailHarness.RunAsync(scratch, [Scratch.Postern, "-c", scratch.Config, "qmail-queue", "--real", scratch.File_("none")],
            Messages.Clean(), QmailHarness.Envelope("s@example.org", "a@example.net"));

        Assert.True(r.ExitCode == 82 && r.CustomError.StartsWith('Z'), r.ToString());
    }

    [Fact]
    public async Task WithADaemon_TheVerbHandsTheMessageToIt()
    {
        await using var daemon = scratch.StartDaemon();
        Assert.True(await daemon.WaitForLogAsync("postern serve ready", TimeSpan.FromSeconds(90)), daemon.Log);

        var r = await QmailHarness.RunAsync(scratch, Command, Messages.Infected(), QmailHarness.Envelope("virus-sender@example.org", "a@example.net"));

        Assert.True(r.ExitCode == 82, r.ToString());
        Assert.True(await daemon.WaitForLogAsync("virus-sender@example.org", TimeSpan.FromSeconds(10)), daemon.Log);
    }
}
