namespace Postern.Core.Tests.Plugins;

/// <summary>Where the build put the test plugins: artifacts/test-plugins under the repository root.</summary>
internal static class TestPluginArtifacts
{
    private static readonly Lazy<string> LazyFolder = new(Locate);

    public static string Folder => LazyFolder.Value;

    public static string PluginFolder(string id) => Path.Combine(Folder, id);

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "postern.slnx")))
            {
                var folder = Path.Combine(dir.FullName, "artifacts", "test-plugins");
                return Directory.Exists(folder)
                    ? folder
                    : throw new InvalidOperationException($"{folder} is missing: build tests/Postern.Core.Tests, which builds the test plugins.");
            }
        }

        throw new InvalidOperationException($"No postern.slnx above {AppContext.BaseDirectory}.");
    }
}
