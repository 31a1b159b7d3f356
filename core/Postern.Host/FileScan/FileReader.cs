using Postern.Extraction.Buffers;

namespace Postern.Host.FileScan;

/// <summary>Reads one file, or standard input for <c>-</c>, but never more than the size limit plus one byte. A file's
/// bytes are in a buffer rented from <see cref="ScanBuffers.Pool"/> (longer than the file): give it back when done.</summary>
internal static class FileReader
{
    public static async Task<(byte[] Content, bool TooLarge, long Length)> ReadAsync(string path, Stream stdin, long limit, CancellationToken ct)
    {
        if (path != "-")
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            var length = file.Length;
            if (length > limit || length > Array.MaxLength)
            {
                return ([], true, length);
            }

            var buffer = ScanBuffers.Pool.Rent((int)Math.Max(length, 1));
            await file.ReadExactlyAsync(buffer.AsMemory(0, (int)length), ct);
            return (buffer, false, length);
        }

        using var ms = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await stdin.ReadAsync(chunk, ct)) > 0)
        {
            if (ms.Length + n > limit)
            {
                return ([], true, ms.Length + n);
            }

            ms.Write(chunk, 0, n);
        }

        var copy = ScanBuffers.Pool.Rent((int)Math.Max(ms.Length, 1));
        ms.GetBuffer().AsSpan(0, (int)ms.Length).CopyTo(copy);
        return (copy, false, ms.Length);
    }

    public static void Release(byte[] buffer)
    {
        if (buffer.Length > 0)
        {
            ScanBuffers.Pool.Return(buffer);
        }
    }
}
