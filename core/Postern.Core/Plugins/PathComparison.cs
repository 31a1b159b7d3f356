namespace Postern.Core.Plugins;

/// <summary>How this operating system compares file paths: case-blind on Windows and macOS' default, exact elsewhere.</summary>
internal static class PathComparison
{
    public static StringComparison Comparison { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    public static StringComparer Comparer { get; } =
        Comparison == StringComparison.Ordinal ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

    /// <summary>Whether <paramref name="path"/> lies strictly inside <paramref name="folder"/>; both must be full paths.</summary>
    public static bool IsInside(string path, string folder)
    {
        var prefix = Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar;
        return path.Length > prefix.Length && path.StartsWith(prefix, Comparison);
    }
}
