using System.Runtime.InteropServices;

namespace Postern.Extraction.Buffers;

/// <summary>Read-only streams over existing buffers: decoders read the bytes in place, nothing is copied.</summary>
internal static class MemoryStreams
{
    public static ArraySegment<byte> Segment(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetArray(memory, out var segment) ? segment : new ArraySegment<byte>(memory.ToArray());

    public static MemoryStream Open(ReadOnlyMemory<byte> memory)
    {
        var segment = Segment(memory);
        return new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false, publiclyVisible: true);
    }
}
