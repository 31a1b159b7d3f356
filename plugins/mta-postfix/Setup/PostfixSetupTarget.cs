namespace Postern.Plugins.Mta.Postfix.Setup;

/// <summary>The Postfix being set up and what Postern's configuration says about its side. Immutable.</summary>
/// <param name="ConfigDirectory">Postfix's config directory (main.cf, master.cf).</param>
/// <param name="ExplicitConfigDirectory">True when --config-dir was given: Postfix commands then get <c>-c DIR</c>.</param>
/// <param name="Agent">The [postfix] settings in force (listen and reinject addresses, max_connections).</param>
internal sealed record PostfixSetupTarget(string ConfigDirectory, bool ExplicitConfigDirectory, PostfixAgentOptions Agent)
{
    public string MainCf => Path.Combine(ConfigDirectory, "main.cf");

    public string MasterCf => Path.Combine(ConfigDirectory, "master.cf");

    /// <summary>Arguments for postfix/postconf: <c>-c DIR</c> for a non-default directory, then <paramref name="args"/>.</summary>
    public string[] Args(params string[] args) => ExplicitConfigDirectory ? ["-c", ConfigDirectory, .. args] : args;

    /// <summary>Where Postfix's programs are (Debian: /usr/sbin), else left to PATH.</summary>
    public static string Program(string name) => File.Exists("/usr/sbin/" + name) ? "/usr/sbin/" + name : name;
}
