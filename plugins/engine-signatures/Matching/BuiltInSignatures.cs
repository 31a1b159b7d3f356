using Postern.Plugins.Engine.Signatures.Loading;
using Postern.Plugins.Engine.Signatures.Model;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>Signatures every database gets, after its own so that the database's names are reported first.</summary>
internal static class BuiltInSignatures
{
    public const string EicarName = "Eicar-Test-Signature";

    /// <summary>The 68-byte EICAR test file, as published by EICAR; found anywhere in an item.</summary>
    public const string EicarText = @"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    public static BodySignature Eicar { get; } = new(
        EicarName,
        SignatureOffset.Anywhere,
        HexPatternParser.Parse(Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(EicarText)), out _)!);
}
