using Postern.Core.Configuration;

namespace Postern.Core.Tests.Policy;

public sealed class SpecialConfigValidationTests
{
    [Fact]
    public void Load_ParentCycle_IsAnErrorNamingTheChainAndLine()
    {
        using var files = new PolicyFiles("[global]\nuser_config = special.conf\n",
            "[a]\nparent_id = b\n\n[b]\nparent_id = c\n[c]\nparent_id = a\n[x@y]\nparent_id = a\n");

        var d = files.Diagnostics.Where(d => d.Severity == ConfigSeverity.Error).ToList();

        Assert.Contains(d, x => x.Line == 2 && x.Message.Contains("parent_id cycle: a -> b -> c -> a", StringComparison.Ordinal));
        Assert.Contains(d, x => x.Line == 9 && x.Message.Contains("cycle", StringComparison.Ordinal));
        Assert.All(d, x => Assert.EndsWith("special.conf", x.File, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_MissingParent_IsAnError()
    {
        using var files = new PolicyFiles("[global]\nuser_config = special.conf\n", "[x@y]\nparent_id = nosuch\n");

        var d = Assert.Single(files.Diagnostics);
        Assert.Equal(2, d.Line);
        Assert.Contains("'nosuch' names no section", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MisspeltSettingAndBadValue_AreErrorsWithLines()
    {
        using var files = new PolicyFiles("[global]\nuser_config = special.conf\n",
            "[x@y]\naction_av_infectd = reject\naction_av = maybe\n");

        Assert.Collection(files.Diagnostics.OrderBy(d => d.Line),
            d => Assert.Equal((2, true), (d.Line, d.Message.Contains("did you mean 'action_av_infected'", StringComparison.Ordinal))),
            d => Assert.Equal((3, true), (d.Line, d.Message.Contains("'maybe' is not one of", StringComparison.Ordinal))));
    }

    [Fact]
    public void Load_MissingUserConfigFile_IsReportedAtTheSettingsLine()
    {
        using var files = new PolicyFiles("[global]\n\n[postfix]\nuser_config = nowhere.conf\n");

        var d = Assert.Single(files.Diagnostics);
        Assert.Equal((files.MainPath, 4), (d.File, d.Line));
        Assert.Contains("file not found", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MainFile_ChecksAgentSectionsAndUserConfig()
    {
        using var files = new PolicyFiles(
            "[global]\nactoin_av = scan\nav_quarantine_retention = 30 days\n[postfix]\naction_av_notscaned = accept\naction_av_deleted = maybe\nuser_config = special.conf\n",
            "[|a@b]\nav_clean_mode = sometimes\n");

        var d = ConfigValidator.Validate(files.Main, []).Where(d => d.Severity == ConfigSeverity.Error).ToList();

        Assert.Contains(d, x => x.Line == 2 && x.Message.Contains("did you mean 'action_av'", StringComparison.Ordinal));
        Assert.Contains(d, x => x.Line == 3 && x.Message.Contains("not an age", StringComparison.Ordinal));
        Assert.Contains(d, x => x.Line == 5 && x.Message.Contains("did you mean 'action_av_notscanned'", StringComparison.Ordinal));
        Assert.Contains(d, x => x.Line == 6 && x.Message.Contains("'maybe'", StringComparison.Ordinal));
        Assert.Contains(d, x => x.Line == 2 && x.File.EndsWith("special.conf", StringComparison.Ordinal) && x.Message.Contains("'sometimes'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_GoodFiles_HaveNoErrors()
    {
        using var files = new PolicyFiles(
            "[global]\naction_av_infected = reject\nav_quarantine_retention = 2w\nlog_level = trace\n[smtp]\naction_av = scan\nuser_config = special.conf\n",
            "[g]\naction_av = reject\n[|a@b]\nparent_id = g\n");

        Assert.DoesNotContain(ConfigValidator.Validate(files.Main, []), d => d.Severity == ConfigSeverity.Error);
    }
}
