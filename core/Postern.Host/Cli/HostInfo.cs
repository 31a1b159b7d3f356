using System.Reflection;

namespace Postern.Host.Cli;

/// <summary>The executable's own version, as the build stamped it.</summary>
internal static class HostInfo
{
    public static string Version { get; } =
        typeof(HostInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
