namespace Postern.Extraction.Buffers;

/// <summary>What <see cref="BoundedReader"/> produced: the bytes (possibly cut short) and why they were cut, if they were.</summary>
internal readonly record struct BoundedRead(PooledBuffer Buffer, string? Reason);
