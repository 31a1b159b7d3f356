using System.Text;
using Postern.Core.Plugins;
using Postern.Sdk.Plugins;

namespace Postern.Core.Tests.Plugins;

public sealed class PluginManifestParserTests
{
    private const string Valid =
        """{"id": "engine-signatures", "version": "1.2.0-beta.1", "kind": "engine", "entryAssembly": "Postern.Plugins.Engine.Signatures.dll", "minimumSdk": "1.0"}""";

    [Fact]
    public void TryParse_ValidManifest_ReadsEveryField()
    {
        Assert.True(PluginManifestParser.TryParse(Encoding.UTF8.GetBytes(Valid), out var manifest, out var error), error);

        Assert.Equal(
            new PluginManifest("engine-signatures", "1.2.0-beta.1", PluginKind.Engine, "Postern.Plugins.Engine.Signatures.dll", new Version(1, 0, 0)),
            manifest);
    }

    [Fact]
    public void TryParse_ByteOrderMark_IsSkipped()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Valid)];

        Assert.True(PluginManifestParser.TryParse(bytes, out var manifest, out var error), error);
        Assert.Equal("engine-signatures", manifest.Id);
    }

    [Fact]
    public void TryParse_StampedTestPluginManifest_IsValid()
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestPluginArtifacts.PluginFolder("good-engine"), PluginManifest.FileName));

        Assert.True(PluginManifestParser.TryParse(bytes, out var manifest, out var error), error);
        Assert.Equal("good-engine", manifest.Id);
        Assert.Equal("Postern.TestPlugins.GoodEngine.dll", manifest.EntryAssembly);
    }

    [Theory]
    [InlineData("{\"id\": ", "plugin.json: not valid JSON")]
    [InlineData("""["engine"]""", "plugin.json: expected a JSON object, found Array")]
    [InlineData("""{"version": "1.0.0", "kind": "engine", "entryAssembly": "a.dll", "minimumSdk": "1.0.0"}""", "plugin.json: 'id' is missing")]
    [InlineData("""{"id": 7, "version": "1.0.0", "kind": "engine", "entryAssembly": "a.dll", "minimumSdk": "1.0.0"}""", "plugin.json: 'id' must be a non-empty string")]
    [InlineData("""{"id": "Good_Engine", "version": "1.0.0", "kind": "engine", "entryAssembly": "a.dll", "minimumSdk": "1.0.0"}""", "plugin.json: id 'Good_Engine' is not kebab-case")]
    [InlineData("""{"id": "a--b", "version": "1.0.0", "kind": "engine", "entryAssembly": "a.dll", "minimumSdk": "1.0.0"}""", "plugin.json: id 'a--b' is not kebab-case")]
    [InlineData("""{"id": "a", "version": "one", "kind": "engine", "entryAssembly": "a.dll", "minimumSdk": "1.0.0"}""", "plugin.json: version 'one' is not a version")]
    [InlineData("""{"id": "a", "version": "1.0.0", "kind": "scanner", "entryAssembly": "a.dll", "minimumSdk": "1.0.0"}""", "plugin.json: kind 'scanner' is not one of engine, mta, agent")]
    [InlineData("""{"id": "a", "version": "1.0.0", "kind": "Engine", "entryAssembly": "a.dll", "minimumSdk": "1.0.0"}""", "plugin.json: kind 'Engine' is not one of")]
    [InlineData("""{"id": "a", "version": "1.0.0", "kind": "engine", "entryAssembly": "a.exe", "minimumSdk": "1.0.0"}""", "plugin.json: entryAssembly 'a.exe' does not name a .dll file")]
    [InlineData("""{"id": "a", "version": "1.0.0", "kind": "engine", "entryAssembly": "a.dll", "minimumSdk": "latest"}""", "plugin.json: minimumSdk 'latest' is not a version")]
    [InlineData("""{"id": "a", "id": "b", "version": "1.0.0", "kind": "engine", "entryAssembly": "a.dll", "minimumSdk": "1.0.0"}""", "plugin.json: not valid JSON")]
    public void TryParse_InvalidManifest_SaysWhatIsWrong(string json, string expectedStart)
    {
        Assert.False(PluginManifestParser.TryParse(Encoding.UTF8.GetBytes(json), out var manifest, out var error));

        Assert.Null(manifest);
        Assert.StartsWith(expectedStart, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_OversizedFile_IsRefusedWithoutParsing()
    {
        var huge = Encoding.UTF8.GetBytes(Valid.Replace("}", $", \"padding\": \"{new string('x', PluginManifestParser.MaxBytes)}\"}}", StringComparison.Ordinal));

        Assert.False(PluginManifestParser.TryParse(huge, out _, out var error));
        Assert.Contains("more than the 65536 a manifest may have", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("engine-signatures", true)]
    [InlineData("mta-postfix2", true)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    [InlineData("", false)]
    [InlineData("-a", false)]
    [InlineData("a-", false)]
    [InlineData("a--b", false)]
    [InlineData("Engine", false)]
    [InlineData("a_b", false)]
    [InlineData("a\n", false)]
    [InlineData("\u00e9t\u00e9", false)]
    public void IsKebabCase_AcceptsWordsOfLowerCaseLettersAndDigitsJoinedByOneDash(string id, bool expected) =>
        Assert.Equal(expected, PluginManifestParser.IsKebabCase(id));

    [Theory]
    [InlineData("1.0.0", true)]
    [InlineData("1.2.0-beta.1", true)]
    [InlineData("1.0.0+build.5", true)]
    [InlineData("1.0.0-rc-1+sha.abc", true)]
    [InlineData("123456789.0.0", true)]
    [InlineData("1234567890.0.0", false)]
    [InlineData("1.0", false)]
    [InlineData("1.0.0.0", false)]
    [InlineData("1..0", false)]
    [InlineData("1.0.0-", false)]
    [InlineData("1.0.0+", false)]
    [InlineData("1.0.0-be ta", false)]
    [InlineData("1.0.0\n", false)]
    [InlineData("\u0661.0.0", false)]
    [InlineData("v1.0.0", false)]
    public void IsSemanticVersion_TakesThreeNumbersAndOptionalLabels(string version, bool expected) =>
        Assert.Equal(expected, PluginManifestParser.IsSemanticVersion(version));

    [Theory]
    [InlineData("1.0", true)]
    [InlineData("1.0.0", true)]
    [InlineData("1", false)]
    [InlineData("1.0.0.0", false)]
    [InlineData("1.0-beta", false)]
    [InlineData("a.b", false)]
    [InlineData("1.", false)]
    public void IsSdkVersion_TakesTwoOrThreeNumbers(string version, bool expected) =>
        Assert.Equal(expected, PluginManifestParser.IsSdkVersion(version));
}
