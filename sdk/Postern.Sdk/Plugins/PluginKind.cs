namespace Postern.Sdk.Plugins;

/// <summary>What a plugin contributes, as declared by <c>kind</c> in its <c>plugin.json</c>.</summary>
public enum PluginKind
{
    /// <summary>A scan engine: one or more <see cref="Scanning.IScanEngine"/> implementations.</summary>
    Engine,

    /// <summary>An MTA integration: agents, CLI verbs and setup for one mail server.</summary>
    Mta,

    /// <summary>An MTA-independent agent, such as a proxy or the delivery wrapper.</summary>
    Agent,
}
