using System.Runtime.InteropServices;

namespace Postern.Plugins.Engine.Signatures.Matching;

/// <summary>
/// Turns the first 2, 3 or 4 bytes at a position into the filter key. Keys are read with the machine's byte order
/// and masked by a mask read the same way, so anchors and scanned data agree on any endianness.
/// </summary>
internal static class GramKeys
{
    public static uint Mask(int width)
    {
        Span<byte> mask = stackalloc byte[sizeof(uint)];
        mask[..width].Fill(0xFF);
        return MemoryMarshal.Read<uint>(mask);
    }

    /// <summary>Reads up to four bytes, zero-padding past the end of <paramref name="data"/>.</summary>
    public static uint ReadPadded(ReadOnlySpan<byte> data)
    {
        Span<byte> padded = stackalloc byte[sizeof(uint)];
        padded.Clear();
        data[..Math.Min(data.Length, sizeof(uint))].CopyTo(padded);
        return MemoryMarshal.Read<uint>(padded);
    }
}
