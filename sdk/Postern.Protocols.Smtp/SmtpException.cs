namespace Postern.Protocols.Smtp;

/// <summary>The server refused a step of the transaction, or the conversation broke off. The message was not
/// taken: the caller keeps its copy.</summary>
public sealed class SmtpException : Exception
{
    /// <summary>Creates the exception with no detail.</summary>
    public SmtpException()
    {
    }

    /// <summary>Creates the exception for a broken conversation.</summary>
    /// <param name="message">What went wrong.</param>
    public SmtpException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception for a broken conversation.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="inner">The socket or I/O error behind it.</param>
    public SmtpException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception for a refused command.</summary>
    /// <param name="command">The command that was refused, for the message.</param>
    /// <param name="reply">The server's reply.</param>
    public SmtpException(string command, SmtpReply reply)
        : base($"{command}: {reply}")
    {
        Reply = reply;
    }

    /// <summary>The reply that refused the step; null when the connection failed or the reply was malformed.</summary>
    public SmtpReply? Reply { get; }

    /// <summary>True when retrying later may work (4xx, or no reply at all).</summary>
    public bool IsTransient => Reply is null || Reply.IsTransient;
}
