using Microsoft.Extensions.Logging.Abstractions;
using Postern.Core.Logging;

namespace Postern.Core.Tests.Logging;

public sealed class NotifyCommandTests
{
    private static readonly NotifyCommand Notify = new(NullLogger<NotifyCommand>.Instance);

    private static NotifyFacts Facts(string sender) =>
        new("Q42", sender, ["b@example.org", "c@example.org"], ["Eicar-Test-Signature"], "infected", "reject", "postfix", "");

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Run_GetsTheFactsInEnvironmentAndArguments()
    {
        var dir = Directory.CreateTempSubdirectory("postern-notify-").FullName;
        var script = Path.Combine(dir, "notify.sh");
        var output = Path.Combine(dir, "out");
        File.WriteAllText(script, $"#!/bin/sh\nprintf '%s|%s|%s|%s|%s\\n' \"$POSTERN_QUEUE_ID\" \"$POSTERN_SENDER\" \"$POSTERN_RECIPIENTS\" \"$POSTERN_VIRUS\" \"$1\" > {output}\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var code = await Notify.RunAsync($"{script} \"virus: %virus%\"", Facts("a@x.example"), TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        Assert.Equal(0, code);
        Assert.Equal("Q42|a@x.example|b@example.org,c@example.org|Eicar-Test-Signature|virus: Eicar-Test-Signature\n",
            File.ReadAllText(output));
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("a;touch {0}@x")]
    [InlineData("$(touch {0})@x")]
    [InlineData("`touch {0}`@x")]
    [InlineData("a|touch {0}@x")]
    public async Task Run_HostileSender_ExecutesNothing(string senderPattern)
    {
        var pwned = Path.Combine(Path.GetTempPath(), $"postern-pwned-{Guid.NewGuid():N}");
        var sender = string.Format(System.Globalization.CultureInfo.InvariantCulture, senderPattern, pwned);

        // The sender reaches the program both as an argument and as a variable; /bin/echo and printenv run no shell.
        await Notify.RunAsync("/bin/echo %sender%", Facts(sender), TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        await Notify.RunAsync("printenv POSTERN_SENDER", Facts(sender), TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        Assert.False(File.Exists(pwned));
    }

    [Fact]
    public async Task Run_CommandThatHangs_IsKilledAtTheTimeout()
    {
        var started = DateTime.UtcNow;

        var code = await Notify.RunAsync("sleep 30", Facts("a@x"), TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);

        Assert.Null(code);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Run_MissingProgram_ReturnsNullWithoutThrowing() =>
        Assert.Null(await Notify.RunAsync("/nonexistent/notify", Facts("a@x"), TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));

    [Theory]
    [InlineData("/usr/bin/x a \"b c\" 'd e' f\\ g", new[] { "/usr/bin/x", "a", "b c", "d e", "f\\", "g" })]
    [InlineData("  x  ", new[] { "x" })]
    [InlineData("x \"\"", new[] { "x", "" })]
    public void Split_QuotesGroup(string command, string[] expected) => Assert.Equal(expected, CommandLineSplitter.Split(command));
}
