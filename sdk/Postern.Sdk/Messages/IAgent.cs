namespace Postern.Sdk.Messages;

/// <summary>
/// A long-running listener that receives mail from an MTA or a client (a content filter, a milter, a proxy),
/// started by <c>postern serve</c>.
/// </summary>
/// <remarks>
/// <para>Threading: <see cref="StartAsync"/> and <see cref="StopAsync"/> are called once each, in that order, from
/// one thread. The agent serves connections on its own tasks.</para>
/// <para>Errors: an exception from <see cref="StartAsync"/> (a port in use) marks the plugin malfunctioned and is
/// logged; the other agents go on. <see cref="StopAsync"/> stops accepting, then finishes or temporarily fails what is in
/// flight before the token fires; it must never answer "accepted" for a message it has not handed on.</para>
/// </remarks>
public interface IAgent
{
    /// <summary>The agent's name, which is also its section in <c>postern.conf</c>.</summary>
    string Name { get; }

    /// <summary>Opens the listeners and begins serving.</summary>
    /// <param name="cancellationToken">Fires when the host gives up waiting for the start.</param>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Drains: accepts nothing new, ends what is in flight.</summary>
    /// <param name="cancellationToken">Fires when the drain time is over; then tempfail what is left.</param>
    Task StopAsync(CancellationToken cancellationToken);
}
