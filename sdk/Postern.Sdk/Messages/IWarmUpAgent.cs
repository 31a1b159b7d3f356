namespace Postern.Sdk.Messages;

/// <summary>
/// An agent with a protocol path of its own to run before the daemon takes mail (SDK 1.3). <c>postern serve</c> runs
/// code compiled on first call at full optimisation (tiered compilation off), so a path first taken by real mail is
/// compiled inside that mail. The host calls <see cref="WarmUpAsync"/> once, after its own warm-up and before
/// <see cref="IAgent.StartAsync"/>.
/// </summary>
/// <remarks>
/// <para>Threading: called once, from the host's start-up; the agent may run the messages on tasks of its own and must
/// have finished with them when the returned task completes.</para>
/// <para>Errors: an exception is logged as a warning and the daemon starts anyway. The agent opens nothing outside
/// loopback, leaves nothing open, and submits only to <c>dispatcher</c>, a quiet twin of the daemon's (no summary line,
/// no quarantine copy, no notification), never to its own.</para>
/// </remarks>
public interface IWarmUpAgent : IAgent
{
    /// <summary>Puts each of <paramref name="messages"/> (whole RFC 5322 messages with CRLF line ends) through the
    /// agent's own protocol path, all at once, and submits them to <paramref name="dispatcher"/>.</summary>
    /// <param name="dispatcher">The quiet twin of the daemon's dispatcher.</param>
    /// <param name="messages">The host's built-in sample, one copy per concurrent submission.</param>
    /// <param name="cancellationToken">Fires when the daemon is stopped during its start, or when the host's time limit
    /// for an agent's warm-up (30 s) has passed.</param>
    Task WarmUpAsync(IMessageDispatcher dispatcher, IReadOnlyList<ReadOnlyMemory<byte>> messages, CancellationToken cancellationToken);
}
