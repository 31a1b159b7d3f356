using Postern.Core.Plugins;

namespace Postern.Core.Tests.Plugins;

public sealed class SdkCompatibilityTests
{
    [Theory]
    [InlineData("1.0.0", "1.0.0")]
    [InlineData("1.0.0", "1.4.2")]
    [InlineData("1.4.0", "1.4.0")]
    [InlineData("1.4.1", "1.4.3")]
    public void Check_MinimumWithinHostsMajor_IsSupported(string minimum, string host) =>
        Assert.Null(SdkCompatibility.Check(Version.Parse(minimum), Version.Parse(host)));

    [Theory]
    [InlineData("1.9.0", "1.0.0", "needs SDK 1.9, host has 1.0")]
    [InlineData("1.0.5", "1.0.0", "needs SDK 1.0.5, host has 1.0")]
    [InlineData("2.0.0", "1.9.0", "needs SDK 2.0, host has 1.9 (a different major version)")]
    [InlineData("1.0.0", "2.0.0", "needs SDK 1.0, host has 2.0 (a different major version)")]
    public void Check_NewerOrOtherMajor_SaysWhatIsNeeded(string minimum, string host, string expected) =>
        Assert.Equal(expected, SdkCompatibility.Check(Version.Parse(minimum), Version.Parse(host)));

    [Fact]
    public void HostVersion_IsTheSdkAssemblysFileVersion() =>
        Assert.Equal(new Version(1, 3, 0), SdkCompatibility.HostVersion);
}
