using Microsoft.Extensions.Logging.Abstractions;
using Postern.Core.Plugins;

namespace Postern.Core.Tests.Plugins;

public sealed class PluginCatalogTests : IDisposable
{
    private readonly PluginRoot _root = PluginRoot.Create();
    private readonly PluginCatalog _catalog = new(NullLogger.Instance);

    [Fact]
    public void Discover_FoldersInOrdinalOrder_OneCandidateEach()
    {
        _root.Write("b-plugin", "plugin.json", PluginRoot.Manifest("b-plugin", "B.dll"));
        _root.Write("a-plugin", "plugin.json", PluginRoot.Manifest("a-plugin", "A.dll"));

        var candidates = _catalog.Discover([_root.Path]);

        Assert.Equal(["a-plugin", "b-plugin"], candidates.Select(c => c.Id));
        Assert.All(candidates, c => Assert.Null(c.Problem));
    }

    [Fact]
    public void Discover_FolderWithoutManifest_IsACandidateWithAProblem()
    {
        _root.Write("stray", "readme.txt", "not a plugin");

        var candidate = Assert.Single(_catalog.Discover([_root.Path]));

        Assert.Equal("stray", candidate.Id);
        Assert.Null(candidate.Manifest);
        Assert.Equal("no plugin.json in the folder", candidate.Problem);
    }

    [Fact]
    public void Discover_InvalidManifest_CarriesTheParsersReason()
    {
        _root.Write("broken", "plugin.json", """{"id": "broken", "kind": "engine"}""");

        var candidate = Assert.Single(_catalog.Discover([_root.Path]));

        Assert.Equal("plugin.json: 'version' is missing", candidate.Problem);
    }

    [Fact]
    public void Discover_SameIdInTwoRoots_FirstRootWinsAndSecondIsFlagged()
    {
        using var second = PluginRoot.Create();
        var winner = _root.Write("dup", "plugin.json", PluginRoot.Manifest("dup", "A.dll"));
        second.Write("dup-copy", "plugin.json", PluginRoot.Manifest("dup", "A.dll"));

        var candidates = _catalog.Discover([_root.Path, second.Path]);

        Assert.Equal(2, candidates.Count);
        Assert.Null(candidates[0].Problem);
        Assert.Equal($"duplicate id 'dup': already provided by {winner}", candidates[1].Problem);
    }

    [Fact]
    public void Discover_MissingRoot_IsSkippedWithoutThrowing()
    {
        _root.Write("a-plugin", "plugin.json", PluginRoot.Manifest("a-plugin", "A.dll"));

        var candidates = _catalog.Discover([Path.Combine(_root.Parent, "no-such-root"), _root.Path]);

        Assert.Equal("a-plugin", Assert.Single(candidates).Id);
    }

    [Fact]
    public void Discover_SameRootTwice_IsReadOnce()
    {
        _root.Write("a-plugin", "plugin.json", PluginRoot.Manifest("a-plugin", "A.dll"));

        Assert.Single(_catalog.Discover([_root.Path, _root.Path + Path.DirectorySeparatorChar]));
    }

    public void Dispose() => _root.Dispose();
}
