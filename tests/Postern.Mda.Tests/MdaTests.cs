using System.Text;

namespace Postern.Mda.Tests;

/// <summary>
/// <c>postern mda</c> with no daemon: delivery, exit codes per caller, a failing MDA. Each case runs twice: the managed
/// verb ("managed"), and the native <c>postern-mda</c> ("native"), which finds no daemon and execs the managed verb
/// with what it already read as standard input, so every case here also proves that hand-over loses nothing.
/// </summary>
public sealed class MdaTests : IDisposable
{
    private readonly Scratch scratch = new();

    public void Dispose() => scratch.Dispose();

    private string Out => scratch.File_("delivered");

    private string CatMda() => scratch.Script("mda.sh", $"cat > '{Out}'; echo \"$@\" > '{Out}.args'");

    [Theory]
    [InlineData("managed")]
    [InlineData("native")]
    public async Task Clean_NoDaemon_DeliversTheMarkedMessageToTheRealMdaWithItsArguments(string program)
    {
        var mda = CatMda();
        var r = await scratch.RunMdaAsync(program, ["-c", scratch.Config, "mda", "-f", "<s@example.org>", "-r", "b@example.net", "--", mda, "-d", "b", "-c", "x"], Messages.Clean());

        Assert.True(r.ExitCode == 0, r.ToString());
        var delivered = await File.ReadAllBytesAsync(Out, TestContext.Current.CancellationToken);
        Assert.Contains("X-Virus-Status: Clean", Encoding.ASCII.GetString(delivered), StringComparison.Ordinal);
        Assert.True(Messages.EndsWith(delivered, Messages.Clean()), "the body must reach the MDA as received");
        Assert.Equal("-d b -c x", (await File.ReadAllTextAsync(Out + ".args", TestContext.Current.CancellationToken)).Trim());
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("native")]
    public async Task AHugeMessage_NoDaemon_ReachesTheMdaWhole(string program)
    {
        var mda = CatMda();
        var message = Messages.Large(24 << 20);
        var r = await scratch.RunMdaAsync(program, ["-c", scratch.Config, "mda", "--", mda], message, seconds: 180);

        Assert.True(r.ExitCode == 0, r.ToString());
        var delivered = await File.ReadAllBytesAsync(Out, TestContext.Current.CancellationToken);
        Assert.True(delivered.Length > message.Length && Messages.EndsWith(delivered, message), $"delivered {delivered.Length} of {message.Length} bytes");
    }

    [Theory]
    [InlineData("managed", "postfix", 77)]
    [InlineData("managed", "exim", 77)]
    [InlineData("managed", "sendmail", 69)]
    [InlineData("managed", "qmail", 100)]
    [InlineData("native", "postfix", 77)]
    [InlineData("native", "exim", 77)]
    [InlineData("native", "sendmail", 69)]
    [InlineData("native", "qmail", 100)]
    public async Task Infected_IsRefusedWithTheCallersPermanentCode_AndNeverReachesTheMda(string program, string caller, int expected)
    {
        var mda = CatMda();
        var r = await scratch.RunMdaAsync(program, ["-c", scratch.Config, "mda", "--caller", caller, "-f", "s@example.org", "-r", "b@example.net", "--", mda], Messages.Infected());

        Assert.True(r.ExitCode == expected, r.ToString());
        Assert.False(File.Exists(Out));
        Assert.Contains("Eicar-Test-Signature", r.Stdout, StringComparison.Ordinal);
        if (caller == "postfix")
        {
            Assert.StartsWith("5.7.1 ", r.Stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("managed", "postfix", 75)]
    [InlineData("managed", "qmail", 111)]
    [InlineData("native", "postfix", 75)]
    [InlineData("native", "qmail", 111)]
    public async Task Defer_GivesTheCallersTemporaryCode(string program, string caller, int expected)
    {
        File.AppendAllText(scratch.Config, "[mda]\naction_av = defer\n");
        var mda = CatMda();
        var r = await scratch.RunMdaAsync(program, ["-c", scratch.Config, "mda", "--caller", caller, "-f", "s@example.org", "-r", "b@example.net", "--", mda], Messages.Clean());

        Assert.True(r.ExitCode == expected, r.ToString());
        Assert.False(File.Exists(Out));
    }

    [Theory]
    [InlineData("managed", "postfix", 0)]
    [InlineData("managed", "qmail", 99)]
    [InlineData("native", "postfix", 0)]
    [InlineData("native", "qmail", 99)]
    public async Task Discard_IsSuccessWithoutDelivery(string program, string caller, int expected)
    {
        File.AppendAllText(scratch.Config, "[mda]\naction_av_infected = discard\n");
        var mda = CatMda();
        var r = await scratch.RunMdaAsync(program, ["-c", scratch.Config, "mda", "--caller", caller, "-f", "s@example.org", "-r", "b@example.net", "--", mda], Messages.Infected());

        Assert.True(r.ExitCode == expected, r.ToString());
        Assert.False(File.Exists(Out));
    }

    [Theory]
    [InlineData("managed", "exit 67", "postfix", 67)]
    [InlineData("managed", "exit 75", "postfix", 75)]
    [InlineData("managed", "cat >/dev/null; kill -9 $$", "postfix", 75)]
    [InlineData("managed", "cat >/dev/null; kill -9 $$", "qmail", 111)]
    [InlineData("managed", "exit 0", "postfix", 0)]
    [InlineData("native", "exit 67", "postfix", 67)]
    [InlineData("native", "cat >/dev/null; kill -9 $$", "qmail", 111)]
    [InlineData("native", "exit 0", "postfix", 0)]
    public async Task TheRealMdasStatusIsPassedOn_AndItsDeathIsATemporaryFailure(string program, string body, string caller, int expected)
    {
        var mda = scratch.Script("failing.sh", body);
        var r = await scratch.RunMdaAsync(program, ["-c", scratch.Config, "mda", "--caller", caller, "--", mda], Messages.Large(3 << 20));

        Assert.True(r.ExitCode == expected, r.ToString());
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("native")]
    public async Task TheCallerGivingUpMidMessage_SIGTERM_IsATemporaryFailure_AndNothingIsDelivered(string program)
    {
        var command = Scratch.MdaCommand(program, ["-c", scratch.Config, "mda", "--", CatMda()]);
        var psi = new System.Diagnostics.ProcessStartInfo(command[0]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in command.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(psi)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = p.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = p.StandardError.ReadToEndAsync(cts.Token);
        // More than a pipe holds: once written, the program is reading (its signal handling is set up before that).
        await p.StandardInput.BaseStream.WriteAsync(Messages.Large(1 << 20), cts.Token);
        await p.StandardInput.BaseStream.FlushAsync(cts.Token);
        using (var kill = System.Diagnostics.Process.Start("/bin/kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(cts.Token);
        }

        await Task.Delay(200, cts.Token);
        p.StandardInput.Close();
        await p.WaitForExitAsync(cts.Token);

        Assert.True(p.ExitCode == 75, $"exit {p.ExitCode}\n{await stdout.WaitAsync(cts.Token)}\n{await stderr.WaitAsync(cts.Token)}");
        Assert.False(File.Exists(Out));
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("native")]
    public async Task AMissingMda_IsATemporaryFailure(string program)
    {
        var r = await scratch.RunMdaAsync(program, ["-c", scratch.Config, "mda", "--", scratch.File_("no-such-mda")], Messages.Clean());

        Assert.True(r.ExitCode == 75, r.ToString());
    }

    [Theory]
    [InlineData("managed", "mda")]
    [InlineData("managed", "mda --caller nosuch -- /bin/cat")]
    [InlineData("managed", "mda -f")]
    [InlineData("native", "mda")]
    [InlineData("native", "mda --caller nosuch -- /bin/cat")]
    [InlineData("native", "mda -f")]
    public async Task ABrokenCommandLine_IsATemporaryFailure_SoTheMailWaits(string program, string args)
    {
        var r = await scratch.RunMdaAsync(program, args.Split(' '), Messages.Clean());

        Assert.True(r.ExitCode == 75, r.ToString());
        Assert.Contains("Usage", r.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("native")]
    public async Task ABrokenConfiguration_IsATemporaryFailure_WithItsErrorsOnStandardError(string program)
    {
        File.AppendAllText(scratch.Config, "not a setting\n");
        var r = await scratch.RunMdaAsync(program, ["-c", scratch.Config, "mda", "--caller", "qmail", "--", CatMda()], Messages.Clean());

        Assert.True(r.ExitCode == 111, r.ToString());
        Assert.Contains("postern.conf:", r.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Out));
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("native")]
    public async Task SenderAndRecipient_ComeFromTheEnvironment_AsPostfixLocalSetsThem(string program)
    {
        // A per-recipient policy proves the recipient was read: mail to this one is deferred.
        File.WriteAllText(scratch.File_("special.conf"), "[held@example.net]\naction_av = defer\n");
        File.AppendAllText(scratch.Config, "user_config = special.conf\n");
        var mda = CatMda();
        var env = new Dictionary<string, string?> { ["SENDER"] = "s@example.org", ["RECIPIENT"] = "held@example.net" };
        var r = await scratch.RunMdaAsync(program, ["-c", scratch.Config, "mda", "--", mda], Messages.Clean(), env);

        Assert.True(r.ExitCode == 75, r.ToString());
        env["RECIPIENT"] = "other@example.net";
        r = await scratch.RunMdaAsync(program, ["-c", scratch.Config, "mda", "--", mda], Messages.Clean(), env);
        Assert.True(r.ExitCode == 0, r.ToString());
    }
}
