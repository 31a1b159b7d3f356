using Postern.Extraction.Buffers;

namespace Postern.Extraction.Mime;

/// <summary>A decoded body: its bytes (a pooled buffer, or a slice of the source for identity encodings) and why it
/// was cut, if it was.</summary>
internal sealed class DecodedBody(PooledBuffer? buffer, ReadOnlyMemory<byte> content, string? reason) : IDisposable
{
    public ReadOnlyMemory<byte> Content { get; } = content;

    public string? Reason { get; } = reason;

    public void Dispose() => buffer?.Dispose();
}
