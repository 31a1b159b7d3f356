namespace Postern.Host.FileScan;

/// <summary>Reads one file, or standard input for <c>-</c>, but never more than the size limit plus one byte.</summary>
internal static class FileReader
{
    public static async Task<(byte[] Content, bool TooLarge, long Length)> ReadAsync(string path, Stream stdin, long limit, CancellationToken ct)
    {
        if (path != "-")
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            var length = file.Length;
            if (length > limit)
            {
                return ([], true, length);
            }

            var buffer = GC.AllocateUninitializedArray<byte>((int)length);
            await file.ReadExactlyAsync(buffer, ct);
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

        return (ms.ToArray(), false, ms.Length);
    }
}
