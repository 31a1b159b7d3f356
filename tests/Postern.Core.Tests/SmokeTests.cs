namespace Postern.Core.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Sdk_Loads() => Assert.Equal("Postern.Sdk", typeof(Postern.Sdk.Scanning.IScanEngine).Assembly.GetName().Name);
}
