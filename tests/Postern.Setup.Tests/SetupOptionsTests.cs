namespace Postern.Setup.Tests;

public sealed class SetupOptionsTests
{
    [Fact]
    public void Parse_ReadsBuiltInsAndTheIntegrationsOwn()
    {
        var o = SetupOptions.Parse(["--mode", "milter", "--config-dir=/tmp/pf", "-n", "--uninstall", "--force", "--state-dir", "/tmp/s", "--reload"],
            ["--mode", "--config-dir"], ["--reload"], out var error);
        Assert.Null(error);
        Assert.NotNull(o);
        Assert.Equal(("milter", "/tmp/pf", true, true, true, "/tmp/s"), (o.Value("--mode"), o.Value("--config-dir"), o.DryRun, o.Uninstall, o.Force, o.StateDirectory));
        Assert.Contains("--reload", o.Flags);
    }

    [Theory]
    [InlineData("--mode", "--mode needs a value")]
    [InlineData("--bogus", "unknown option '--bogus'")]
    [InlineData("stray", "unexpected argument 'stray'")]
    [InlineData("--mode=", "--mode needs a non-empty value")]
    [InlineData("--dry-run=yes", "unknown option '--dry-run=yes'")]
    public void Parse_Errors_AreOneLine(string arg, string expected)
    {
        Assert.Null(SetupOptions.Parse([arg], ["--mode"], [], out var error));
        Assert.Equal(expected, error);
    }
}
