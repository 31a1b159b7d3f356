using System.Text;

namespace Postern.Core.Tests.Plugins;

/// <summary>A throw-away plugin root in the temp folder, filled with copies of built test plugins or hand-made folders.</summary>
internal sealed class PluginRoot : IDisposable
{
    private PluginRoot(string parent)
    {
        Parent = parent;
        Path = System.IO.Path.Combine(parent, "plugins");
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder holding the root, for things that must sit outside it.</summary>
    public string Parent { get; }

    public string Path { get; }

    public static PluginRoot Create(params string[] pluginIds)
    {
        var root = new PluginRoot(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "postern-plugin-tests", Guid.NewGuid().ToString("N")));
        foreach (var id in pluginIds)
        {
            root.CopyPlugin(id);
        }

        return root;
    }

    public string CopyPlugin(string id, string? folderName = null) =>
        CopyFolder(TestPluginArtifacts.PluginFolder(id), System.IO.Path.Combine(Path, folderName ?? id));

    public string Write(string folderName, string fileName, string text)
    {
        var folder = System.IO.Path.Combine(Path, folderName);
        Directory.CreateDirectory(folder);
        File.WriteAllText(System.IO.Path.Combine(folder, fileName), text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return folder;
    }

    public static string Manifest(string id, string entryAssembly, string minimumSdk = "1.0.0", string kind = "engine") =>
        $$"""{"id": "{{id}}", "version": "1.0.0", "kind": "{{kind}}", "entryAssembly": "{{entryAssembly}}", "minimumSdk": "{{minimumSdk}}"}""";

    public static string CopyFolder(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, System.IO.Path.Combine(target, System.IO.Path.GetFileName(file)), overwrite: true);
        }

        return target;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Parent, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is harmless and must not fail a test.
        }
    }
}
