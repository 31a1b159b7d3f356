namespace Postern.Protocols.Clamd;

/// <summary>A byte buffer that doubles as data arrives, so memory follows what was received, not what was announced.</summary>
internal sealed class GrowableBuffer
{
    private byte[] data = [];

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Memory => data.AsMemory(0, Length);

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (Length + bytes.Length > data.Length)
        {
            var size = Math.Max(Math.Max(data.Length * 2L, 64 * 1024), Length + (long)bytes.Length);
            Array.Resize(ref data, (int)Math.Min(size, Array.MaxLength));
        }

        bytes.CopyTo(data.AsSpan(Length));
        Length += bytes.Length;
    }

    public byte[] ToArray() => data.Length == Length ? data : data.AsSpan(0, Length).ToArray();
}
