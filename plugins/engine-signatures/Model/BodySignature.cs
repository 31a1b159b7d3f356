namespace Postern.Plugins.Engine.Signatures.Model;

/// <summary>One usable line of an <c>.ndb</c> file (or the built-in EICAR signature).</summary>
internal sealed record BodySignature(string Name, SignatureOffset Offset, BodyPattern Pattern);
