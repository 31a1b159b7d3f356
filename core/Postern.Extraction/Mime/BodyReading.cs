namespace Postern.Extraction.Mime;

/// <summary>How a transfer-encoded body is read.</summary>
internal enum BodyReading
{
    /// <summary>As declared; for base64 that is valid, the fast strict decoder.</summary>
    Declared,

    /// <summary>Base64 skipping junk and going on after a '=' in the middle (what most clients do).</summary>
    LenientBase64,

    /// <summary>Base64 skipping junk and stopping at the first '=' (what the rest do).</summary>
    Base64StopAtPadding,
}
