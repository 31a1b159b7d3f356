namespace Postern.Plugins.Engine.Signatures;

/// <summary>A signature database could not be loaded: the message names the file and the reason.</summary>
public sealed class SignatureDatabaseException : Exception
{
    public SignatureDatabaseException()
    {
    }

    public SignatureDatabaseException(string message)
        : base(message)
    {
    }

    public SignatureDatabaseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
