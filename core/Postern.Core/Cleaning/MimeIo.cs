using MimeKit;

namespace Postern.Core.Cleaning;

/// <summary>Parses and writes messages with MimeKit the way cleaning and marking need: the sender's line endings
/// kept, nothing re-encoded that was not changed.</summary>
internal static class MimeIo
{
    public static MimeMessage Load(ReadOnlyMemory<byte> message)
    {
        using var stream = new MemoryStream(message.ToArray(), writable: false);
        return MimeMessage.Load(ParserOptions.Default, stream, persistent: false);
    }

    public static byte[] Write(MimeMessage message, ReadOnlyMemory<byte> original)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = UsesCrLf(original.Span) ? NewLineFormat.Dos : NewLineFormat.Unix;
        using var output = new MemoryStream();
        message.WriteTo(options, output);
        return output.ToArray();
    }

    private static bool UsesCrLf(ReadOnlySpan<byte> span)
    {
        var lf = span.IndexOf((byte)'\n');
        return lf > 0 && span[lf - 1] == (byte)'\r';
    }
}
