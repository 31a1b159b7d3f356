using System.Text;

namespace Postern.Mda.Tests;

/// <summary><c>postern mda</c> with no daemon (the in-process fallback): delivery, exit codes per caller, a failing MDA.</summary>
public sealed class MdaTests : IDisposable
{
    private readonly Scratch scratch = new();

    public void Dispose() => scratch.Dispose();

    private string Out => scratch.File_("delivered");

    private string CatMda() => scratch.Script("mda.sh", $"cat > '{Out}'; echo \"$@\" > '{Out}.args'");

    [Fact]
    public async Task Clean_NoDaemon_DeliversTheMarkedMessageToTheRealMdaWithItsArguments()
    {
        var mda = CatMda();
        var r = await scratch.RunAsync(["-c", scratch.Config, "mda", "-f", "<s@example.org>", "-r", "b@example.net", "--", mda, "-d", "b", "-c", "x"], Messages.Clean());

        Assert.True(r.ExitCode == 0, r.ToString());
        var delivered = await File.ReadAllBytesAsync(Out, TestContext.Current.CancellationToken);
        Assert.Contains("X-Virus-Status: Clean", Encoding.ASCII.GetString(delivered), StringComparison.Ordinal);
        Assert.True(Messages.EndsWith(delivered, Messages.Clean()), "the body must reach the MDA as received");
        Assert.Equal("-d b -c x", (await File.ReadAllTextAsync(Out + ".args", TestContext.Current.CancellationToken)).Trim());
    }

    [Theory]
    [InlineData("postfix", 77)]
    [InlineData("exim", 77)]
    [InlineData("sendmail", 69)]
    [InlineData("qmail", 100)]
    public async Task Infected_IsRefusedWithTheCallersPermanentCode_AndNeverReachesTheMda(string caller, int expected)
    {
        var mda = CatMda();
        var r = await scratch.RunAsync(["-c", scratch.Config, "mda", "--caller", caller, "-f", "s@example.org", "-r", "b@example.net", "--", mda], Messages.Infected());

        Assert.True(r.ExitCode == expected, r.ToString());
        Assert.False(File.Exists(Out));
        Assert.Contains("Eicar-Test-Signature", r.Stdout, StringComparison.Ordinal);
        if (caller == "postfix")
        {
            Assert.StartsWith("5.7.1 ", r.Stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("postfix", 75)]
    [InlineData("qmail", 111)]
    public async Task Defer_GivesTheCallersTemporaryCode(string caller, int expected)
    {
        File.AppendAllText(scratch.Config, "[mda]\naction_av = defer\n");
        var mda = CatMda();
        var r = await scratch.RunAsync(["-c", scratch.Config, "mda", "--caller", caller, "-f", "s@example.org", "-r", "b@example.net", "--", mda], Messages.Clean());

        Assert.True(r.ExitCode == expected, r.ToString());
        Assert.False(File.Exists(Out));
    }

    [Theory]
    [InlineData("postfix", 0)]
    [InlineData("qmail", 99)]
    public async Task Discard_IsSuccessWithoutDelivery(string caller, int expected)
    {
        File.AppendAllText(scratch.Config, "[mda]\naction_av_infected = discard\n");
        var mda = CatMda();
        var r = await scratch.RunAsync(["-c", scratch.Config, "mda", "--caller", caller, "-f", "s@example.org", "-r", "b@example.net", "--", mda], Messages.Infected());

        Assert.True(r.ExitCode == expected, r.ToString());
        Assert.False(File.Exists(Out));
    }

    [Theory]
    [InlineData("exit 67", "postfix", 67)]
    [InlineData("exit 75", "postfix", 75)]
    [InlineData("cat >/dev/null; kill -9 $$", "postfix", 75)]
    [InlineData("cat >/dev/null; kill -9 $$", "qmail", 111)]
    [InlineData("exit 0", "postfix", 0)]
    public async Task TheRealMdasStatusIsPassedOn_AndItsDeathIsATemporaryFailure(string body, string caller, int expected)
    {
        var mda = scratch.Script("failing.sh", body);
        var r = await scratch.RunAsync(["-c", scratch.Config, "mda", "--caller", caller, "--", mda], Messages.Large(3 << 20));

        Assert.True(r.ExitCode == expected, r.ToString());
    }

    [Fact]
    public async Task AMissingMda_IsATemporaryFailure()
    {
        var r = await scratch.RunAsync(["-c", scratch.Config, "mda", "--", scratch.File_("no-such-mda")], Messages.Clean());

        Assert.True(r.ExitCode == 75, r.ToString());
    }

    [Theory]
    [InlineData("mda")]
    [InlineData("mda --caller nosuch -- /bin/cat")]
    [InlineData("mda -f")]
    public async Task ABrokenCommandLine_IsATemporaryFailure_SoTheMailWaits(string args)
    {
        var r = await scratch.RunAsync(args.Split(' '), Messages.Clean());

        Assert.True(r.ExitCode == 75, r.ToString());
        Assert.Contains("Usage", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SenderAndRecipient_ComeFromTheEnvironment_AsPostfixLocalSetsThem()
    {
        // A per-recipient policy proves the recipient was read: mail to this one is deferred.
        File.WriteAllText(scratch.File_("special.conf"), "[held@example.net]\naction_av = defer\n");
        File.AppendAllText(scratch.Config, "user_config = special.conf\n");
        var mda = CatMda();
        var env = new Dictionary<string, string?> { ["SENDER"] = "s@example.org", ["RECIPIENT"] = "held@example.net" };
        var r = await scratch.RunAsync(["-c", scratch.Config, "mda", "--", mda], Messages.Clean(), env);

        Assert.True(r.ExitCode == 75, r.ToString());
        env["RECIPIENT"] = "other@example.net";
        r = await scratch.RunAsync(["-c", scratch.Config, "mda", "--", mda], Messages.Clean(), env);
        Assert.True(r.ExitCode == 0, r.ToString());
    }
}
