using System.Reflection;
using Postern.Sdk.Plugins;

namespace Postern.Core.Plugins;

/// <summary>Decides from a manifest's <c>minimumSdk</c> alone whether this host can run a plugin.</summary>
/// <remarks>
/// The SDK follows semantic versioning and keeps its AssemblyVersion at <c>Major.0.0.0</c>: a plugin built against 1.4
/// binds on any 1.x host that is at least 1.4, and on no 2.x host, because a new major may remove what it uses.
/// </remarks>
internal static class SdkCompatibility
{
    // Used when the SDK assembly carries no file version, which only a hand-made build would do.
    private static readonly Version Fallback = new(1, 0, 0);

    /// <summary>The SDK version this host was built with, from the SDK assembly's file version.</summary>
    public static Version HostVersion { get; } = ReadHostVersion();

    /// <summary>Returns why a plugin needing <paramref name="minimum"/> cannot run on <paramref name="host"/>, or <c>null</c>.</summary>
    public static string? Check(Version minimum, Version host)
    {
        if (minimum.Major != host.Major)
        {
            return $"needs SDK {Show(minimum)}, host has {Show(host)} (a different major version)";
        }

        var needed = new Version(minimum.Major, minimum.Minor, Math.Max(minimum.Build, 0));
        var have = new Version(host.Major, host.Minor, Math.Max(host.Build, 0));
        return needed > have ? $"needs SDK {Show(minimum)}, host has {Show(host)}" : null;
    }

    // "1.9" reads better than "1.9.0" in a log line; a patch level is shown only when it matters.
    private static string Show(Version version) =>
        version.Build > 0 ? $"{version.Major}.{version.Minor}.{version.Build}" : $"{version.Major}.{version.Minor}";

    private static Version ReadHostVersion()
    {
        var text = typeof(IPluginStartup).Assembly.GetCustomAttribute<AssemblyFileVersionAttribute>()?.Version;
        return Version.TryParse(text, out var version)
            ? new Version(version.Major, version.Minor, Math.Max(version.Build, 0))
            : Fallback;
    }
}
