namespace Postern.Core.Plugins;

/// <summary>A plugin failed to start; <see cref="Exception.Message"/> is the reason shown for it, naming the stage that failed.</summary>
internal sealed class PluginActivationException(string reason, Exception? innerException = null)
    : Exception(reason, innerException);
