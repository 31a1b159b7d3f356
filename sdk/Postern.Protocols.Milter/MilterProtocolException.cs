namespace Postern.Protocols.Milter;

/// <summary>
/// A packet broke the protocol (too long, truncated, malformed, unexpected). The session that read it closes its
/// connection; the listener goes on. Thrown by <see cref="MilterFraming"/> and the session, never past the listener.
/// </summary>
public sealed class MilterProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MilterProtocolException()
    {
    }

    /// <summary>Creates the exception with what was wrong.</summary>
    public MilterProtocolException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with what was wrong and the cause.</summary>
    public MilterProtocolException(string message, Exception inner) : base(message, inner)
    {
    }
}
