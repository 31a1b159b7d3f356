namespace Postern.Plugins.Engine.Signatures.Tests.Support;

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("postern-signatures-").FullName;
    }

    public string Path { get; }

    public string Write(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, content);
        return file;
    }

    public string Write(string name, byte[] content)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(file, content);
        return file;
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("POSTERN_KEEP_TEMP") is null)
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
