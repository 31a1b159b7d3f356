namespace Postern.Protocols.Smtp;

/// <summary>Decides what <see cref="SmtpServer"/> answers to the end of data of each message.</summary>
/// <remarks>
/// <para>Threading: called concurrently, once per message, from the connections' tasks; one connection waits for its
/// call to return before it reads on.</para>
/// <para>Errors: the returned reply goes to the client as is (250 only once the message is safe). An exception is
/// answered with 451 4.3.0 and logged by the caller's policy; cancellation (server stopping past its drain time)
/// is answered with 421 4.3.2 and the connection is closed. Either way the client keeps the message.</para>
/// </remarks>
public interface ISmtpTransactionHandler
{
    /// <summary>Handles one received message and returns the reply to its end of data.</summary>
    /// <param name="transaction">The message and its envelope.</param>
    /// <param name="cancellationToken">Fires when the server gives up on in-flight work.</param>
    ValueTask<SmtpReply> HandleAsync(SmtpTransaction transaction, CancellationToken cancellationToken);
}
