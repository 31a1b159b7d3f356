namespace Postern.Protocols.Local;

/// <summary>A frame broke the local submission protocol (unknown type, over a limit, out of order, bad field).
/// The connection that carried it cannot be used any more.</summary>
public sealed class LocalProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LocalProtocolException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was wrong.</param>
    public LocalProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="inner">The cause.</param>
    public LocalProtocolException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
