namespace Postern.Protocols.Local;

/// <summary>No daemon answered the local socket; nothing was sent, so scanning in-process instead is safe.</summary>
public sealed class LocalUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LocalUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Why.</param>
    public LocalUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">Why.</param>
    /// <param name="inner">The socket error.</param>
    public LocalUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>The daemon answered with an error frame (message too large, shutting down, internal failure): a
/// temporary failure for the caller.</summary>
public sealed class LocalServerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LocalServerException()
    {
    }

    /// <summary>Creates the exception with the daemon's text.</summary>
    /// <param name="message">The daemon's error text.</param>
    public LocalServerException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The daemon's error text.</param>
    /// <param name="inner">The cause.</param>
    public LocalServerException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
