using Postern.Core.Configuration;
using Postern.Core.Policy;

namespace Postern.Core.Tests.Policy;

/// <summary>A postern.conf and its user_config written to a temp folder and loaded as the host loads them.</summary>
internal sealed class PolicyFiles : IDisposable
{
    public PolicyFiles(string main, string? special = null)
    {
        Folder = Directory.CreateTempSubdirectory("postern-policy-").FullName;
        MainPath = Path.Combine(Folder, "postern.conf");
        File.WriteAllText(MainPath, main);
        if (special is not null)
        {
            File.WriteAllText(Path.Combine(Folder, "special.conf"), special);
        }

        Main = ConfigParser.Load(MainPath);
        Config = PolicyConfigLoader.Load(Main, out var diagnostics);
        Diagnostics = diagnostics;
    }

    public string Folder { get; }

    public string MainPath { get; }

    public ConfigFile Main { get; }

    public PolicyConfig Config { get; }

    public IReadOnlyList<ConfigDiagnostic> Diagnostics { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
