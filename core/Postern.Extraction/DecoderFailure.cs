namespace Postern.Extraction;

/// <summary>Turns a decoder's exception into a short "not scanned" reason.</summary>
internal static class DecoderFailure
{
    private const int MaxDetailChars = 80;

    /// <summary>
    /// Every exception a decoder throws on hostile input is a verdict about the input, except the caller's own
    /// cancellation, which must reach the caller.
    /// </summary>
    public static bool IsDecoderFault(Exception ex, CancellationToken token) =>
        !(ex is OperationCanceledException && token.IsCancellationRequested);

    public static string Describe(Exception ex)
    {
        if (IsEncryption(ex))
        {
            return "encrypted";
        }

        var detail = ex.Message.ReplaceLineEndings(" ");
        if (detail.Length > MaxDetailChars)
        {
            detail = detail[..MaxDetailChars] + "...";
        }

        return $"corrupt: {ex.GetType().Name}: {detail}";
    }

    private static bool IsEncryption(Exception ex) =>
        ex is SharpCompress.Common.CryptographicException
        || ex.Message.Contains("password", StringComparison.OrdinalIgnoreCase)
        || ex.Message.Contains("encrypt", StringComparison.OrdinalIgnoreCase);
}
