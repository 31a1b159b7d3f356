namespace Postern.Core.Plugins;

/// <summary>One plugin's record, with its activation when it got that far (kept for disposal even if it then failed).</summary>
internal sealed record PluginOutcome(PluginRecord Record, PluginActivation? Activation = null, Exception? Error = null);
