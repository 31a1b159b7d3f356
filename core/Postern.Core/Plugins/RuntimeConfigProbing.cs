namespace Postern.Core.Plugins;

/// <summary>
/// The runtimeconfig files whose probing folders a plugin's load context takes, as McMaster's <c>PluginLoader</c> takes
/// them (the plugin's <c>&lt;entry&gt;.runtimeconfig.json</c>, then every <c>*.runtimeconfig.json</c> beside the
/// host), narrowed to those from which McMaster's own <c>TryAddAdditionalProbingPathFromRuntimeConfig</c> could add a
/// folder: the file or its <c>.dev.json</c> twin names <c>additionalProbingPaths</c>, or the process is the
/// <c>dotnet</c> muxer (then it adds the runtime package store). For any other file that call adds nothing, yet it
/// costs a reflection-based <c>JsonSerializer</c> read (about 120 JIT-compiled methods) and a walk over the process's
/// mapped modules; this repository's builds name no probing folders at all. Measured: peak RSS of a one-message
/// <c>postern scan</c> 67.7 -> 64.5 MiB.
/// </summary>
internal static class RuntimeConfigProbing
{
    private const string Suffix = ".runtimeconfig.json";

    public static IEnumerable<string> Files(string entryAssemblyPath, string hostDirectory, string? processPath)
    {
        var underDotnet = processPath is not null
            && string.Equals(Path.GetFileNameWithoutExtension(processPath), "dotnet", StringComparison.OrdinalIgnoreCase);
        var plugin = Path.Combine(Path.GetDirectoryName(entryAssemblyPath)!, Path.GetFileNameWithoutExtension(entryAssemblyPath) + Suffix);
        string[] host;
        try
        {
            host = Directory.GetFiles(hostDirectory, "*" + Suffix);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            host = []; // as PluginLoader would find none
        }

        return new[] { plugin }.Concat(host).Where(file => File.Exists(file)
            && (underDotnet || NamesProbingPaths(file) || NamesProbingPaths(file[..^".json".Length] + ".dev.json")));
    }

    private static bool NamesProbingPaths(string file)
    {
        try
        {
            return File.Exists(file) && File.ReadAllText(file).Contains("\"additionalProbingPaths\"", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
