using Postern.Core.Plugins;

namespace Postern.Core.Tests.Plugins;

public sealed class RuntimeConfigProbingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("postern-probing-").FullName;
    private readonly string _plugin;
    private readonly string _host;

    public RuntimeConfigProbingTests()
    {
        _plugin = Directory.CreateDirectory(Path.Combine(_root, "plugin")).FullName;
        _host = Directory.CreateDirectory(Path.Combine(_root, "host")).FullName;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Files_NoRuntimeConfigFiles_AreNone()
    {
        Assert.Empty(RuntimeConfigProbing.Files(Entry, _host, "/usr/bin/postern"));
    }

    [Fact]
    public void Files_WithoutProbingPaths_AreSkipped_UnlessUnderTheDotnetMuxer()
    {
        var plugin = Write(_plugin, "P.runtimeconfig.json", """{"runtimeOptions": {"tfm": "net10.0"}}""");
        var host = Write(_host, "postern.runtimeconfig.json", """{"runtimeOptions": {}}""");

        Assert.Empty(RuntimeConfigProbing.Files(Entry, _host, "/opt/dotnet/postern"));
        Assert.Equal([plugin, host], RuntimeConfigProbing.Files(Entry, _host, "/opt/dotnet/dotnet"));
    }

    [Fact]
    public void Files_NamingProbingPaths_InThemselvesOrTheirDevTwin_AreTaken_PluginFirst()
    {
        var plugin = Write(_plugin, "P.runtimeconfig.json", """{"runtimeOptions": {"tfm": "net10.0"}}""");
        Write(_plugin, "P.runtimeconfig.dev.json", """{"runtimeOptions": {"additionalProbingPaths": ["/d/|tfm|"]}}""");
        var host = Write(_host, "postern.runtimeconfig.json", """{"runtimeOptions": {"additionalProbingPaths": ["/h"]}}""");
        Write(_host, "other.runtimeconfig.json", """{"runtimeOptions": {}}""");

        Assert.Equal([plugin, host], RuntimeConfigProbing.Files(Entry, _host, "/usr/bin/postern"));
    }

    private string Entry => Path.Combine(_plugin, "P.dll");

    private static string Write(string directory, string name, string text)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
