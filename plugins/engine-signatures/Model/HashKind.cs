namespace Postern.Plugins.Engine.Signatures.Model;

/// <summary>The digest of a hash signature, told apart by the length of its hex string as ClamAV does.</summary>
internal enum HashKind
{
    Md5,
    Sha1,
    Sha256,
}
