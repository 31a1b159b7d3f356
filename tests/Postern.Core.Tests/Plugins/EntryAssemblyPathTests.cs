using Postern.Core.Plugins;

namespace Postern.Core.Tests.Plugins;

public sealed class EntryAssemblyPathTests : IDisposable
{
    private readonly PluginRoot _root = PluginRoot.Create();
    private readonly string _folder;

    public EntryAssemblyPathTests()
    {
        _folder = _root.Write("plugin", "Plugin.dll", "not really an assembly");
        Directory.CreateDirectory(Path.Combine(_folder, "lib"));
        File.WriteAllText(Path.Combine(_folder, "lib", "Inner.dll"), "not really an assembly");
        File.WriteAllText(Path.Combine(_root.Parent, "Outside.dll"), "not really an assembly");
    }

    [Theory]
    [InlineData("Plugin.dll", "Plugin.dll")]
    [InlineData("lib/Inner.dll", "lib/Inner.dll")]
    [InlineData("./Plugin.dll", "Plugin.dll")]
    public void TryResolve_PathInsideFolder_GivesFullPath(string entry, string expected)
    {
        Assert.True(EntryAssemblyPath.TryResolve(_folder, entry, out var path, out var error), error);
        Assert.Equal(Path.GetFullPath(Path.Combine(_folder, expected)), path);
    }

    [Theory]
    [InlineData("../x.dll", "plugin.json: entryAssembly '../x.dll' resolves outside the plugin folder")]
    [InlineData("../../Outside.dll", "plugin.json: entryAssembly '../../Outside.dll' resolves outside the plugin folder")]
    [InlineData("lib/../Plugin.dll", "plugin.json: entryAssembly 'lib/../Plugin.dll' must not contain '..'")]
    [InlineData("/etc/x.dll", "plugin.json: entryAssembly '/etc/x.dll' is an absolute path; it must be relative to the plugin folder")]
    [InlineData("~/x.dll", "plugin.json: entryAssembly '~/x.dll' is an absolute path; it must be relative to the plugin folder")]
    public void TryResolve_PathLeavingFolder_IsRefused(string entry, string expected)
    {
        Assert.False(EntryAssemblyPath.TryResolve(_folder, entry, out var path, out var error));
        Assert.Null(path);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryResolve_FileLinkLeadingOutside_IsRefused()
    {
        File.CreateSymbolicLink(Path.Combine(_folder, "Linked.dll"), Path.Combine(_root.Parent, "Outside.dll"));

        Assert.False(EntryAssemblyPath.TryResolve(_folder, "Linked.dll", out _, out var error));
        Assert.Equal("plugin.json: entryAssembly 'Linked.dll' is a symbolic link that leads outside the plugin folder", error);
    }

    [Fact]
    public void TryResolve_FolderLinkLeadingOutside_IsRefused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_folder, "elsewhere"), _root.Parent);

        Assert.False(EntryAssemblyPath.TryResolve(_folder, "elsewhere/Outside.dll", out _, out var error));
        Assert.Contains("symbolic link that leads outside the plugin folder", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryResolve_LinkStayingInside_GivesTheTarget()
    {
        File.CreateSymbolicLink(Path.Combine(_folder, "Alias.dll"), Path.Combine(_folder, "lib", "Inner.dll"));

        Assert.True(EntryAssemblyPath.TryResolve(_folder, "Alias.dll", out var path, out var error), error);
        Assert.Equal(Path.Combine(_folder, "lib", "Inner.dll"), path);
    }

    [Fact]
    public void TryResolve_PluginFolderItselfALink_JudgesAgainstItsTarget()
    {
        var link = Path.Combine(_root.Path, "linked-plugin");
        Directory.CreateSymbolicLink(link, _folder);

        Assert.True(EntryAssemblyPath.TryResolve(link, "Plugin.dll", out var path, out var error), error);
        Assert.Equal(Path.Combine(_folder, "Plugin.dll"), path);
    }

    public void Dispose() => _root.Dispose();
}
