namespace Postern.Sdk.Plugins;

/// <summary>The outcome of loading one plugin. Each state comes with a reason the host logs and shows.</summary>
public enum PluginState
{
    /// <summary>Loaded, started and in service.</summary>
    Active,

    /// <summary>Switched off by the administrator (<c>enabled = no</c> in its section of <c>postern.conf</c>).</summary>
    Disabled,

    /// <summary>Not loadable on this host: it needs a newer SDK, its manifest is invalid or points outside its folder.</summary>
    NotSupported,

    /// <summary>It was tried and failed: the assembly did not load, its startup threw, or its engine failed to initialise.</summary>
    Malfunctioned,
}
