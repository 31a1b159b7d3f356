using Postern.Core.Policy;
using Postern.Sdk.Messages;

namespace Postern.Core.Tests.Policy;

/// <summary>The policy over a table of settings × statuses × special sections.</summary>
public sealed class PolicyTableTests
{
    private const string Special = """
        [blacklist]
        action_av = reject

        [whitelist]
        action_av = accept

        [strictgroup]
        action_av_notscanned = reject

        [lenient]
        parent_id = strictgroup
        action_av_infected = discard

        [|spammer@bad.example]
        parent_id = blacklist

        [|@worse.example]
        parent_id = blacklist

        [postmaster@example.org]
        parent_id = whitelist

        [@archive.example.org]
        action_av_infected = accept

        [ceo@example.org]
        parent_id = lenient

        [ceo@example.org|boss@partner.example]
        action_av_infected = defer
        """;

    public static TheoryData<string, string, string, string, VerdictStatus, DecisionAction> Cases => new()
    {
        // global, agent section, sender, recipient, status => action
        { "", "", "a@x.example", "b@example.org", VerdictStatus.Clean, DecisionAction.Accept },
        { "", "", "a@x.example", "b@example.org", VerdictStatus.Infected, DecisionAction.Reject },
        { "", "", "a@x.example", "b@example.org", VerdictStatus.NotScanned, DecisionAction.Defer },
        { "", "", "a@x.example", "b@example.org", VerdictStatus.Deleted, DecisionAction.Accept },
        { "action_av_infected = discard", "", "a@x.example", "b@example.org", VerdictStatus.Infected, DecisionAction.Discard },
        { "action_av_infected = discard", "action_av_infected = defer", "a@x.example", "b@example.org", VerdictStatus.Infected, DecisionAction.Defer },
        { "action_av_notscanned = accept", "", "a@x.example", "b@example.org", VerdictStatus.NotScanned, DecisionAction.Accept },
        { "action_av_deleted = reject", "", "a@x.example", "b@example.org", VerdictStatus.Deleted, DecisionAction.Reject },
        { "action_av = defer", "", "a@x.example", "b@example.org", VerdictStatus.Clean, DecisionAction.Defer },
        { "", "action_av = discard", "a@x.example", "b@example.org", VerdictStatus.Clean, DecisionAction.Discard },

        // Sender sections and their groups.
        { "", "", "spammer@bad.example", "b@example.org", VerdictStatus.Clean, DecisionAction.Reject },
        { "", "", "SPAMMER@Bad.Example", "b@example.org", VerdictStatus.Clean, DecisionAction.Reject },
        { "", "", "anyone@worse.example", "b@example.org", VerdictStatus.Clean, DecisionAction.Reject },
        { "", "", "spammer@bad.example.net", "b@example.org", VerdictStatus.Clean, DecisionAction.Accept },

        // Recipient sections beat sender sections, which beat the agent section.
        { "", "", "spammer@bad.example", "postmaster@example.org", VerdictStatus.Infected, DecisionAction.Accept },
        { "", "action_av = defer", "a@x.example", "postmaster@example.org", VerdictStatus.Clean, DecisionAction.Accept },
        { "", "action_av = defer", "spammer@bad.example", "b@example.org", VerdictStatus.Clean, DecisionAction.Reject },
        { "", "", "a@x.example", "anyone@archive.example.org", VerdictStatus.Infected, DecisionAction.Accept },

        // A section's own settings, then its parents, nearest first.
        { "", "", "a@x.example", "ceo@example.org", VerdictStatus.Infected, DecisionAction.Discard },
        { "", "", "a@x.example", "ceo@example.org", VerdictStatus.NotScanned, DecisionAction.Reject },
        { "action_av_deleted = defer", "", "a@x.example", "ceo@example.org", VerdictStatus.Deleted, DecisionAction.Defer },

        // A recipient|sender pair beats the recipient alone.
        { "", "", "boss@partner.example", "ceo@example.org", VerdictStatus.Infected, DecisionAction.Defer },
        { "", "", "boss@partner.example", "ceo@example.org", VerdictStatus.NotScanned, DecisionAction.Reject },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decide_SettingsStatusAndSpecialSections_GiveTheAction(
        string global, string agent, string sender, string recipient, VerdictStatus status, DecisionAction expected)
    {
        using var files = new PolicyFiles($"[global]\nuser_config = special.conf\n{global}\n[postfix]\n{agent}\n", Special);
        Assert.Empty(files.Diagnostics);
        var settings = files.Config.Resolve("postfix", sender, recipient);

        var gate = PolicyEngine.Gate(settings);
        var decision = gate == AvAction.Scan
            ? PolicyEngine.Decide(recipient, settings, status, "x")
            : PolicyEngine.Unscanned(recipient, gate);

        Assert.Equal(expected, decision.Action);
    }

    [Fact]
    public void Resolve_AgentWithoutItsOwnUserConfig_UsesTheGlobalOne()
    {
        using var files = new PolicyFiles("[global]\nuser_config = special.conf\n[smtp]\naction_av_infected = defer\n", Special);

        Assert.Equal(AvAction.Reject, files.Config.Resolve("smtp", "spammer@bad.example", "b@example.org").Action(PolicySettings.ActionAv));
    }

    [Fact]
    public void Resolve_AgentUserConfig_OverridesTheGlobalFile()
    {
        using var files = new PolicyFiles("[global]\nuser_config = special.conf\n[smtp]\nuser_config = other.conf\n", Special);
        File.WriteAllText(Path.Combine(files.Folder, "other.conf"), "[|spammer@bad.example]\naction_av = discard\n");
        var config = Postern.Core.Policy.PolicyConfigLoader.Load(files.Main, out _);

        Assert.Equal(AvAction.Discard, config.Resolve("smtp", "spammer@bad.example", "b@example.org").Action(PolicySettings.ActionAv));
        Assert.Equal(AvAction.Reject, config.Resolve("postfix", "spammer@bad.example", "b@example.org").Action(PolicySettings.ActionAv));
    }

    [Fact]
    public void Resolve_MessageWideSetting_IgnoresRecipientSections()
    {
        using var files = new PolicyFiles("[global]\nuser_config = special.conf\nav_clean_mode = standard\n",
            "[b@example.org]\nav_clean_mode = none\n[|a@x.example]\nav_mark_subject = yes\n");

        var s = files.Config.Resolve("postfix", "a@x.example", "b@example.org");

        Assert.Equal("standard", s[PolicySettings.CleanMode].Value);
        Assert.Equal("yes", s[PolicySettings.MarkSubject].Value);
    }

    [Fact]
    public void Resolve_Origin_NamesFileSectionAndLine()
    {
        using var files = new PolicyFiles("[global]\nuser_config = special.conf\n\n[postfix]\naction_av_infected = discard\n", Special);

        var plain = files.Config.Resolve("postfix", "a@x.example", "b@example.org");
        var s = files.Config.Resolve("postfix", "a@x.example", "ceo@example.org");

        Assert.Equal(new SettingOrigin(files.MainPath, 5, "postfix"), plain[PolicySettings.ActionAvInfected].Origin);
        Assert.Equal(new SettingOrigin(files.MainPath, 2, "global"), plain[PolicySettings.UserConfig].Origin);
        Assert.Equal("lenient", s[PolicySettings.ActionAvInfected].Origin.Section);
        var notScanned = s[PolicySettings.ActionAvNotScanned].Origin;
        Assert.Equal("strictgroup", notScanned.Section);
        Assert.Equal(Path.Combine(files.Folder, "special.conf"), notScanned.File);
        Assert.Equal(SettingOrigin.Default, s[PolicySettings.ActionAvDeleted].Origin);
    }

    [Fact]
    public void Resolve_NullSender_MatchesTheNullSenderSection()
    {
        using var files = new PolicyFiles("[global]\nuser_config = special.conf\n", "[|<>]\naction_av = defer\n");

        Assert.Equal(AvAction.Defer, files.Config.Resolve("postfix", "", "b@example.org").Action(PolicySettings.ActionAv));
        Assert.Equal(AvAction.Scan, files.Config.Resolve("postfix", "a@b", "b@example.org").Action(PolicySettings.ActionAv));
    }
}
