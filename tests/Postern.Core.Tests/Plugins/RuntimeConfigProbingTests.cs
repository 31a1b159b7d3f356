using System.Runtime.InteropServices;
using Postern.Core.Plugins;

namespace Postern.Core.Tests.Plugins;

public sealed class RuntimeConfigProbingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("postern-probing-").FullName;
    private readonly string _plugin;
    private readonly string _host;
    private readonly string _arch = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    public RuntimeConfigProbingTests()
    {
        _plugin = Directory.CreateDirectory(Path.Combine(_root, "plugin")).FullName;
        _host = Directory.CreateDirectory(Path.Combine(_root, "host")).FullName;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Paths_NoRuntimeConfigFiles_AreNone()
    {
        Assert.Empty(RuntimeConfigProbing.Paths(Entry, _host, "/usr/bin/postern"));
    }

    [Fact]
    public void Paths_PluginAndDevAndHostFiles_InThatOrder_WithArchAndTfmFilledIn()
    {
        Write(_plugin, "P.runtimeconfig.json", """{"runtimeOptions": {"tfm": "net10.0", "additionalProbingPaths": ["/p/|arch|"]}}""");
        Write(_plugin, "P.runtimeconfig.dev.json", """{"runtimeOptions": {"additionalProbingPaths": ["/d/|tfm|", "relative/ignored", ""]}}""");
        Write(_host, "postern.runtimeconfig.json", """{"runtimeOptions": {"additionalProbingPaths": ["/h/|tfm|", "/h/plain"]}}""");

        Assert.Equal(["/p/" + _arch, "/d/net10.0", "/h/plain"], RuntimeConfigProbing.Paths(Entry, _host, "/usr/bin/postern"));
    }

    [Fact]
    public void Paths_UnderTheDotnetMuxer_AddTheRuntimeStoreForEachFileWithATfm()
    {
        Write(_plugin, "P.runtimeconfig.json", """{"runtimeOptions": {"tfm": "net10.0"}}""");
        Write(_host, "postern.runtimeconfig.json", """{"runtimeOptions": {}}""");

        Assert.Equal([$"/opt/dotnet/store/{_arch}/net10.0"], RuntimeConfigProbing.Paths(Entry, _host, "/opt/dotnet/dotnet"));
        Assert.Empty(RuntimeConfigProbing.Paths(Entry, _host, "/opt/dotnet/postern"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""["/x"]""")]
    [InlineData("""{"runtimeOptions": "net10.0"}""")]
    [InlineData("""{"runtimeOptions": {"tfm": 10, "additionalProbingPaths": ["/x"]}}""")]
    [InlineData("""{"runtimeOptions": {"additionalProbingPaths": "/x"}}""")]
    [InlineData("""{"runtimeOptions": {"additionalProbingPaths": ["/x", 1]}}""")]
    public void Paths_AFileOfAnotherShape_AddsNothing_NorDoesItsDevFile(string json)
    {
        Write(_plugin, "P.runtimeconfig.json", json);
        Write(_plugin, "P.runtimeconfig.dev.json", """{"runtimeOptions": {"additionalProbingPaths": ["/dev"]}}""");

        Assert.Empty(RuntimeConfigProbing.Paths(Entry, _host, "/opt/dotnet/dotnet"));
    }

    private string Entry => Path.Combine(_plugin, "P.dll");

    private static void Write(string directory, string name, string text) => File.WriteAllText(Path.Combine(directory, name), text);
}
