using Postern.Sdk.Scanning;

namespace Postern.Core.Plugins;

/// <summary>
/// The engines of the active plugins, published once the plugin host has started. Registered in the host container so
/// host services can depend on the engines without a cycle.
/// </summary>
/// <remarks>
/// <para>Why it exists: <c>IMessageScanner</c> and <c>IMessageDispatcher</c> live in the host container and need the
/// engines, while plugins (whose agents take <c>IMessageScanner</c>) are activated from that same container: the engines
/// cannot exist when the scanner is built. The scanner therefore takes this object in its constructor and reads
/// <see cref="Engines"/> on each scan, never in its constructor.</para>
/// <para>Threading: safe from any thread; <see cref="Engines"/> never changes once published.</para>
/// </remarks>
public sealed class ActiveEngines
{
    private IReadOnlyList<IScanEngine>? _engines;

    /// <summary>Whether the plugin host has finished starting and <see cref="Engines"/> can be read.</summary>
    public bool IsPublished => Volatile.Read(ref _engines) is not null;

    /// <summary>The engines of active plugins, ordered as <see cref="PluginHost.Engines"/>.</summary>
    /// <exception cref="InvalidOperationException">The plugin host has not finished starting; a scan this early is a bug
    /// in the caller, reported loudly rather than answered with an empty, "clean" engine list.</exception>
    public IReadOnlyList<IScanEngine> Engines =>
        Volatile.Read(ref _engines) ?? throw new InvalidOperationException("The plugin host has not finished starting: no engines are published yet.");

    internal void Publish(IReadOnlyList<IScanEngine> engines)
    {
        if (Interlocked.CompareExchange(ref _engines, engines, null) is not null)
        {
            throw new InvalidOperationException("The engines were already published.");
        }
    }
}
