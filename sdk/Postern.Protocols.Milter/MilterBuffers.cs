using System.Buffers;

namespace Postern.Protocols.Milter;

/// <summary>
/// The pool the milter kit's per-message buffers come from (body segments, the assembled message). Without it every
/// message of a few hundred KiB cost two fresh large-object-heap arrays, and a Postfix milter run of 300 messages made
/// 28 full (gen2) collections. Bounded: arrays up to 4 MiB, 16 per size; larger messages get plain arrays.
/// </summary>
public static class MilterBuffers
{
    /// <summary>The shared pool; thread-safe.</summary>
    public static ArrayPool<byte> Pool { get; } = ArrayPool<byte>.Create(4 << 20, 16);
}
