using Postern.Core.Configuration;

namespace Postern.Host.Cli;

/// <summary>Loads the file named by <c>-c</c>, or the embedded defaults, and prints its problems.</summary>
internal static class ConfigLoading
{
    /// <summary>The parsed file, or <c>null</c> (after printing every error) when it cannot be used.</summary>
    public static ConfigFile? Load(string? path, TextWriter error)
    {
        if (path is null)
        {
            return ConfigFile.Empty;
        }

        var file = ConfigParser.Load(path);
        foreach (var d in file.Diagnostics)
        {
            error.WriteLine(d.ToString());
        }

        return file.HasErrors ? null : file;
    }
}
