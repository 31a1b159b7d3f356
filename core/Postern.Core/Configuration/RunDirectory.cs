namespace Postern.Core.Configuration;

/// <summary>
/// <c>[global] run_dir</c>, where <c>postern serve</c> puts its local sockets. Its own file because the native
/// <c>postern-mda</c> (core/Postern.Mda.Native) compiles it in too: the daemon and both per-message clients find the
/// socket through this one definition.
/// </summary>
public static class RunDirectory
{
    public const string Setting = "run_dir";

    public const string Default = "/run/postern";

    /// <summary>The run directory a configuration names, or <see cref="Default"/>.</summary>
    public static string Of(IReadOnlyDictionary<string, string> global) =>
        global.GetValueOrDefault(Setting) is { Length: > 0 } d ? d : Default;
}
