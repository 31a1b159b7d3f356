namespace Postern.Host.Tests;

/// <summary>The classic black-list/white-list set-up, seen through <c>postern policy show</c> and <c>config check</c>.</summary>
public sealed class PolicyCliTests
{
    private static (string Conf, string Special) Files()
    {
        var dir = TestFiles.TempDir();
        var conf = Path.Combine(dir, "postern.conf");
        var special = Path.Combine(dir, "special.conf");
        File.WriteAllText(conf, $"[global]\naction_av_infected = reject\nav_quarantine_dir = {dir}/q\nuser_config = special.conf\n\n[smtp]\naction_av_notscanned = reject\n");
        File.WriteAllText(special, "[blacklist]\naction_av = reject\n\n[whitelist]\naction_av = accept\n\n" +
            "[|spammer@bad.example]\nparent_id = blacklist\n\n[postmaster@example.org]\nparent_id = whitelist\n");
        return (conf, special);
    }

    [Fact]
    public async Task PolicyShow_BlacklistedSender_RejectsAndNamesTheSection()
    {
        var (conf, special) = Files();

        var r = await Cli.RunAsync(["policy", "show", "-c", conf, "--from", "spammer@bad.example", "--to", "user@example.org", "--agent", "smtp"]);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches($@"^action_av\s+= reject\s+# \[blacklist\] {special}:2$", Assert.Single(r.Lines, l => l.StartsWith("action_av ", StringComparison.Ordinal)));
        Assert.Matches($@"^action_av_notscanned\s+= reject\s+# \[smtp\] {conf}:7$", Assert.Single(r.Lines, l => l.StartsWith("action_av_notscanned ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PolicyShow_WhitelistedRecipient_AcceptsEvenFromABlacklistedSender()
    {
        var (conf, special) = Files();

        var r = await Cli.RunAsync(["policy", "show", "-c", conf, "--from", "spammer@bad.example", "--to", "postmaster@example.org"]);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches($@"^action_av\s+= accept\s+# \[whitelist\] {special}:5$", Assert.Single(r.Lines, l => l.StartsWith("action_av ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ConfigCheck_MisspeltSettingInSpecialFile_NamesFileAndLine()
    {
        var (conf, special) = Files();
        await File.AppendAllTextAsync(special, "\n[|other@bad.example]\nactoin_av = reject\n", TestContext.Current.CancellationToken);

        var r = await Cli.RunAsync(["config", "check", conf]);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"{special}:14:", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("actoin_av", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuarantineList_EmptyStore_PrintsAnEmptyJsonArray()
    {
        var (conf, _) = Files();

        var r = await Cli.RunAsync(["quarantine", "list", "--json", "-c", conf]);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("[]", r.Stdout.Trim());
    }
}
