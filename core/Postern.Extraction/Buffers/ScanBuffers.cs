using System.Buffers;

namespace Postern.Extraction.Buffers;

/// <summary>
/// The pool decoded bytes live in. Not <see cref="ArrayPool{T}.Shared"/>: that pool keeps up to eight arrays per size
/// per core plus one per thread, so a scanner that touches every size from 16 B to megabytes parks well over 100 MiB
/// in it (measured: 156 MiB of retained large arrays after one corpus run). This one keeps at most
/// <see cref="ArraysPerSize"/> per size, none above <see cref="LargestPooled"/>; bigger buffers are allocated and
/// dropped, which a mail scanner meets rarely.
/// </summary>
public static class ScanBuffers
{
    /// <summary>4 MiB: above the size of most attachments (gen_corpus.py's largest are 3 MB).</summary>
    public const int LargestPooled = 4 * 1024 * 1024;

    /// <summary>Enough for two scans in flight, each holding a few nested buffers of one size.</summary>
    public const int ArraysPerSize = 2;

    public static ArrayPool<byte> Pool { get; } = ArrayPool<byte>.Create(LargestPooled, ArraysPerSize);
}
