namespace Postern.Sdk.Messages;

/// <summary>
/// The contract MTA adapters use: hand over a message and its envelope, get back a decision per recipient.
/// Provided by the host; take it as a constructor parameter.
/// </summary>
/// <remarks>
/// <para>Threading: thread-safe; adapters call it concurrently, one call per message.</para>
/// <para>Errors: never throws for anything the message or an engine does. Every internal failure (engine down,
/// timeout, full disk, a bug) comes back as <see cref="DecisionAction.Defer"/> for every recipient, so the sending
/// MTA retries; nothing is ever accepted unscanned by accident. Throws <see cref="OperationCanceledException"/> only
/// when <c>cancellationToken</c> fires, which the adapter must also turn into a temporary failure.</para>
/// <para>The adapter answers "accepted" to its MTA only after it has handed the decided message on.</para>
/// </remarks>
public interface IMessageDispatcher
{
    /// <summary>Scans the message, applies the policy and returns what to do with it.</summary>
    /// <param name="envelope">Sender, recipients and client information.</param>
    /// <param name="message">The message as received, headers and body, CRLF or LF line ends.</param>
    /// <param name="cancellationToken">Fires when the adapter's caller gives up (connection closed, shutdown).</param>
    ValueTask<MessageDecision> SubmitAsync(Envelope envelope, ReadOnlyMemory<byte> message, CancellationToken cancellationToken);
}
