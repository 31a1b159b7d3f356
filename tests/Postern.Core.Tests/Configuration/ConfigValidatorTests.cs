using Postern.Core.Configuration;

namespace Postern.Core.Tests.Configuration;

public sealed class ConfigValidatorTests
{
    [Theory]
    [InlineData("scan_timeout = soon", "not a duration")]
    [InlineData("scan_max_file_size = 10X", "not a size")]
    [InlineData("scan_buffer_cache = lots", "not a size")]
    [InlineData("scan_max_depth = -1", "not a non-negative whole number")]
    [InlineData("log_level = loud", "not one of: trace, debug, info, warning, error, critical")]
    [InlineData("scan_timout = 30s", "did you mean 'scan_timeout'?")]
    [InlineData("frobnicate = 1", "unknown setting")]
    public void Validate_BadGlobalSetting_IsAnErrorOnItsLine(string line, string cause)
    {
        var file = ConfigParser.Parse($"[global]\n{line}\n", "p.conf");

        var d = Assert.Single(ConfigValidator.Validate(file, []));
        Assert.Equal(ConfigSeverity.Error, d.Severity);
        Assert.Equal(2, d.Line);
        Assert.Contains(cause, d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_GoodFile_HasNoDiagnostics()
    {
        var file = ConfigParser.Parse("[global]\nscan_timeout = 45s\nscan_max_file_size = 20M\n[engine-signatures]\nenabled = no\n", "p");

        Assert.Empty(ConfigValidator.Validate(file, ["engine-signatures"]));
    }

    [Fact]
    public void Validate_AgentSectionOfAnMtaPlugin_TakesThePluginsOwnSettings()
    {
        var file = ConfigParser.Parse("[exim]\nscan_roots = /var/spool/exim4/scan\naction_av_infected = reject\n", "p");

        Assert.Empty(ConfigValidator.Validate(file, ["mta-exim"]));
        Assert.Contains(ConfigValidator.Validate(file, ["engine-signatures"]), d => d.Message.Contains("scan_roots", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SectionOfNoInstalledPlugin_IsAWarning()
    {
        var file = ConfigParser.Parse("[nosuch]\nenabled = yes\n", "p");

        var d = Assert.Single(ConfigValidator.Validate(file, ["engine-signatures"]));
        Assert.Equal(ConfigSeverity.Warning, d.Severity);
    }

    [Fact]
    public void Validate_PluginEnabledNotBoolean_IsAnError()
    {
        var file = ConfigParser.Parse("[engine-signatures]\nenabled = maybe\n", "p");

        Assert.Equal(ConfigSeverity.Error, Assert.Single(ConfigValidator.Validate(file, ["engine-signatures"])).Severity);
    }

    [Theory]
    [InlineData("30", 30_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    public void TryParseDuration_Units(string text, int ms)
    {
        Assert.True(ConfigValue.TryParseDuration(text, out var d));
        Assert.Equal(ms, (int)d.TotalMilliseconds);
    }

    [Theory]
    [InlineData("1024", 1024L)]
    [InlineData("512K", 512L * 1024)]
    [InlineData("100M", 100L * 1024 * 1024)]
    [InlineData("2g", 2L * 1024 * 1024 * 1024)]
    public void TryParseSize_BinaryMultiples(string text, long bytes)
    {
        Assert.True(ConfigValue.TryParseSize(text, out var n));
        Assert.Equal(bytes, n);
    }
}
